package ai.clawbot.host.cli;

import picocli.CommandLine.Command;

@Command(name = "claw", mixinStandardHelpOptions = true, version = "claw 0.1.0",
        description = "Clawbot Gateway: agents that call signed skills in hardened sandboxes.",
        subcommands = {GatewayCommand.class, PluginsCommand.class, TrustCommand.class, KeysCommand.class, RegistryCommand.class, SandboxCommand.class, SecretsCommand.class, ToolsCommand.class,
                SecurityCommand.class, DoctorCommand.class,
                AgentCommand.class, ChatCommand.class, StatusCommand.class, LogsCommand.class, SessionsCommand.class,
                ConfigCommand.class, ApprovalsCommand.class, McpCommand.class})
final class ClawCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

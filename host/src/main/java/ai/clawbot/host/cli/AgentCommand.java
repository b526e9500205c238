package ai.clawbot.host.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Send one message to an agent through the running gateway and stream its reply.",
                "Tool calls are shown on stderr as they run; approvals are asked for when stdin is a terminal.",
                "Exit: 0 answered, 1 the run failed, 2 usage or config, 3 gateway unreachable or token refused, 4 aborted."})
final class AgentCommand implements Callable<Integer> {

    @Mixin
    GatewayTarget target;

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--message"}, required = true, description = "The message.")
    String message;

    @Option(names = "--agent", description = "The agent (default: the gateway's default agent).")
    String agent;

    @Option(names = "--session", description = "The session key (default: the agent's main session, agent:ID:main).")
    String session;

    @Option(names = "--json", description = "Print every event of the run as one JSON line (NDJSON) instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Console console = System.console();
        return target.withClient(err, client -> {
            String agentId = agent != null ? agent : defaultAgent(client);
            String key = sessionKey(agentId, session);
            RunFollower run = new RunFollower(client, out, err, json, console != null);
            String runId = run.send(key, message);
            RunFollower.Approver approver = console == null ? request -> Optional.empty()
                    : request -> Optional.of(yes(console.readLine("  approve? [y/N] ")));
            return run.follow(key, runId, approver).exitCode();
        });
    }

    static boolean yes(String answer) {
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }

    static String defaultAgent(GatewayClient client) throws IOException {
        return Rpc.call(client, "agents.list", Rpc.params()).path("defaultId").asText("default");
    }

    /** {@code agent:ID:KEY}; a key already naming an agent is used as it is. */
    static String sessionKey(String agentId, String key) {
        if (key == null || key.isBlank()) {
            return "agent:" + agentId + ":main";
        }
        return key.startsWith("agent:") ? key : "agent:" + agentId + ":" + key;
    }
}

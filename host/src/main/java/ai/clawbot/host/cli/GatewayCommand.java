package ai.clawbot.host.cli;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.gateway.ConfigFile;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.RefusedPlugin;
import ai.clawbot.host.observe.StartupTrace;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gateway", mixinStandardHelpOptions = true, subcommands = GatewayCallCommand.class,
        description = "Run the gateway on 127.0.0.1 (port: --port, OPENCLAW_GATEWAY_PORT, gateway.port, 18789).")
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on (overrides OPENCLAW_GATEWAY_PORT and the config file).")
    Integer port;

    /**
     * The command for exactly {@code gateway}, {@code gateway --port N} or {@code gateway --port=N} (N a number);
     * empty for anything else, which picocli then parses (and explains when it is wrong).
     */
    static Optional<GatewayCommand> plainStart(String[] args) {
        if (args.length == 0 || !args[0].equals("gateway")) {
            return Optional.empty();
        }
        String value = args.length == 2 && args[1].startsWith("--port=") ? args[1].substring("--port=".length())
                : args.length == 3 && args[1].equals("--port") ? args[2] : null;
        if (args.length != 1 && (value == null || !value.matches("[0-9]{1,5}"))) {
            return Optional.empty();
        }
        GatewayCommand command = new GatewayCommand();
        command.port = value == null ? null : Integer.valueOf(value);
        return Optional.of(command);
    }

    /** {@link #call()} as picocli runs it: an unexpected failure prints its stack trace and exits 1. */
    int callReportingFailure() {
        try {
            return call();
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    @Override
    public Integer call() throws Exception {
        StartupTrace.mark("command line read");
        StateDir state = StateDir.fromEnvironment(System.getenv());
        GatewayConfig config;
        try {
            config = ConfigFile.resolve(state, System.getenv(), port);
        } catch (ConfigFile.ConfigException e) {
            System.err.println("claw: cannot start: " + e.getMessage());
            return 2;
        }
        StartupTrace.mark("config read");
        Gateway gateway;
        try {
            gateway = Gateways.start(config);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("Address already in use")
                    || e.getCause() instanceof java.net.BindException) {
                System.err.println("claw: port " + config.port() + " is in use; pick another with --port or OPENCLAW_GATEWAY_PORT");
                return 2;
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("Clawbot Gateway " + Gateway.VERSION + " listening on " + gateway.webSocketUri());
        System.out.println("State: " + state.root());
        System.out.println("Skills: " + gateway.catalog().skills().size() + " loaded"
                + (gateway.catalog().refused().isEmpty() ? "" : ", " + gateway.catalog().refused().size() + " refused"));
        for (RefusedPlugin r : gateway.catalog().refused()) {
            System.out.println("  refused " + r);
        }
        System.out.println("Control UI: " + gateway.controlUiUrl());
        System.out.flush();
        StartupTrace.report(System.err);
        stopped.await();
        return 0;
    }
}

package ai.clawbot.host.cli;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.gateway.ConfigFile;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.RefusedPlugin;
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
     * Compiles the config's JSON Schema (~230 classes, a quarter of the time to {@code /healthz}) on another core
     * while picocli parses the command line and the config file is read; the first load then finds it built.
     */
    static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("config-schema-prepare").start(ai.clawbot.host.config.ConfigValidator::create);
    }

    @Override
    public Integer call() throws Exception {
        StateDir state = StateDir.fromEnvironment(System.getenv());
        GatewayConfig config;
        try {
            config = ConfigFile.resolve(state, System.getenv(), port);
        } catch (ConfigFile.ConfigException e) {
            System.err.println("claw: cannot start: " + e.getMessage());
            return 2;
        }
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
        stopped.await();
        return 0;
    }
}

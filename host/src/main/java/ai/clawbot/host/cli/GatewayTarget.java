package ai.clawbot.host.cli;

import ai.clawbot.host.gateway.ConfigFile;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the terminal client connects and with which token: {@code --url}/{@code --token}, else what the gateway of
 * this state folder listens with (the same resolution as {@code claw gateway}: {@code OPENCLAW_STATE_DIR}'s
 * {@code openclaw.json}, {@code OPENCLAW_GATEWAY_PORT}, {@code OPENCLAW_GATEWAY_TOKEN}).
 */
final class GatewayTarget {

    /** Exit codes shared by the client commands. */
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int ABORTED = 4;

    @Option(names = "--url", description = "The gateway's WebSocket URL (default: this state folder's gateway, ws://127.0.0.1:PORT/).")
    String url;

    @Option(names = "--token", description = "The gateway token (default: OPENCLAW_GATEWAY_TOKEN, else the state folder's openclaw.json).")
    String token;

    /** Thrown when there is nothing to connect to; the message says why. */
    static final class NoTarget extends Exception {
        NoTarget(String message) {
            super(message);
        }
    }

    GatewayClient connect() throws IOException, NoTarget {
        String useUrl = url;
        String useToken = token;
        if (useUrl == null || useToken == null) {
            StateDir state = StateDir.fromEnvironment(System.getenv());
            String envToken = System.getenv("OPENCLAW_GATEWAY_TOKEN");
            if ((envToken == null || envToken.isBlank()) && useToken == null && !Files.exists(state.configFile())) {
                // resolve() would generate and save a token: a client must not configure a gateway that never ran.
                throw new NoTarget("no gateway has run with state folder " + state.root()
                        + " (start it with `claw gateway`, or pass --url and --token)");
            }
            GatewayConfig config;
            try {
                config = ConfigFile.resolve(state, System.getenv(), null);
            } catch (ConfigFile.ConfigException e) {
                throw new NoTarget(e.getMessage());
            }
            useUrl = useUrl != null ? useUrl : config.localWebSocketUri().toString();
            useToken = useToken != null ? useToken : config.token();
        }
        return GatewayClient.connect(URI.create(useUrl), useToken, Duration.ofSeconds(10));
    }

    /**
     * Runs {@code body} connected, mapping problems to exit codes and a message on stderr: the gateway's error
     * answer ({@link Rpc.Failed}) exits 1, no target 2, an unreachable gateway 3.
     */
    int withClient(java.io.PrintWriter err, ClientBody body) {
        try (GatewayClient client = connect()) {
            return body.run(client);
        } catch (Rpc.Failed e) {
            err.println("claw: " + e.getMessage());
            err.flush();
            return FAILED;
        } catch (NoTarget e) {
            err.println("claw: " + e.getMessage());
            err.flush();
            return USAGE;
        } catch (IOException e) {
            err.println("claw: " + e.getMessage());
            err.flush();
            return UNREACHABLE;
        }
    }

    @FunctionalInterface
    interface ClientBody {
        int run(GatewayClient client) throws IOException;
    }
}

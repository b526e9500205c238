package ai.clawbot.host.cli;

import ai.clawbot.host.gateway.ConfigFile;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tools", mixinStandardHelpOptions = true, description = "Call skill tools through the running gateway.",
        subcommands = {ToolsCommand.Invoke.class})
final class ToolsCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(name = "invoke", mixinStandardHelpOptions = true,
            description = "Call one tool (tools.invoke over the gateway's WebSocket; port and token from the state folder's "
                    + "openclaw.json, OPENCLAW_GATEWAY_PORT, OPENCLAW_GATEWAY_TOKEN). Prints the tool's text; exit 1 on an error.")
    static final class Invoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SKILL")
        String skill;

        @Parameters(index = "1", paramLabel = "TOOL")
        String tool;

        @Option(names = "--args", defaultValue = "{}", description = "The arguments, a JSON object (default: {}).")
        String args;

        @Option(names = "--agent", defaultValue = "default", description = "The agent whose policy and sandbox apply (default: ${DEFAULT-VALUE}).")
        String agent;

        @Option(names = "--json", description = "Print the whole result (text, structured, sandbox) as JSON.")
        boolean json;

        @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the answer (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            JsonNode argTree;
            try {
                argTree = JSON.readTree(args);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                System.err.println("claw: --args is not JSON: " + e.getOriginalMessage());
                return 2;
            }
            if (argTree == null || !argTree.isObject()) {
                System.err.println("claw: --args must be a JSON object, e.g. '{\"name\":\"Ada\"}'");
                return 2;
            }
            StateDir state = StateDir.fromEnvironment(System.getenv());
            String envToken = System.getenv("OPENCLAW_GATEWAY_TOKEN");
            if ((envToken == null || envToken.isBlank()) && !java.nio.file.Files.exists(state.configFile())) {
                // resolve() would generate and save a token: a client must not configure a gateway that never ran.
                System.err.println("claw: no gateway has run with state folder " + state.root()
                        + " (start it with `claw gateway`, or set OPENCLAW_STATE_DIR / OPENCLAW_GATEWAY_TOKEN)");
                return 2;
            }
            GatewayConfig config;
            try {
                config = ConfigFile.resolve(state, System.getenv(), null);
            } catch (ConfigFile.ConfigException e) {
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            URI uri = config.localWebSocketUri();
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            ObjectNode params = JSON.createObjectNode().put("skill", skill).put("tool", tool).put("agentId", agent);
            params.set("args", argTree);
            JsonNode res;
            try (GatewayClient client = GatewayClient.connect(uri, config.token(), Duration.ofSeconds(10))) {
                res = client.request("tools.invoke", params, timeout);
            } catch (IOException e) {
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            if (!res.path("ok").asBoolean()) {
                JsonNode error = res.path("error");
                System.err.println("claw: " + error.path("code").asText() + " (" + error.at("/details/code").asText("") + "): "
                        + error.path("message").asText());
                return 1;
            }
            JsonNode payload = res.path("payload");
            System.out.println(json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(payload) : payload.path("text").asText());
            return payload.path("isError").asBoolean() ? 1 : 0;
        }
    }
}

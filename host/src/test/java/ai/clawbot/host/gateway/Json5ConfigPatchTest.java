package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config.patch} over a real WebSocket client on a gateway started from a commented JSON5 {@code openclaw.json}:
 * the file keeps its comments and every untouched line, and {@code config.get} still redacts the token.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Json5ConfigPatchTest {

    private static final String ORIGINAL = """
            // My gateway. Hand-written; keep these notes.
            {
              gateway: {
                auth: { mode: "token", token: "%s" }, // rotated monthly
                /* loopback only */ bind: 'loopback',
              },
              channels: { whatsapp: { allowFrom: ["+15555550123"] } }, // OpenClaw only
            }
            """.formatted(TestGateway.TOKEN);

    @TempDir
    static Path state;
    static Gateway gateway;
    static ProtocolClient c;

    @BeforeAll
    static void start() throws Exception {
        gateway = ProtocolSuite.start(state, ORIGINAL, new ProtocolSuite.ScriptedEngine());
        c = ProtocolSuite.client(gateway);
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aPatchEditsTheCommentedFileInPlaceAndTheTokenStaysRedacted() throws Exception {
        JsonNode got = ok(c.request("config.get"));
        ObjectNode patch = p();
        patch.putObject("agents").putArray("list").addObject().put("id", "helper").put("default", true);
        // The redacted gateway section sent back as is, with one change: the marker keeps the stored token.
        ObjectNode gw = (ObjectNode) got.path("config").path("gateway").deepCopy();
        gw.put("bind", "localhost");
        patch.set("gateway", gw);
        ObjectNode params = p().put("baseHash", got.path("hash").asText());
        params.set("patch", patch);

        JsonNode res = ok(c.request("config.patch", params));

        assertThat(Files.readString(state.resolve("openclaw.json"))).isEqualTo(ORIGINAL
                .replace("bind: 'loopback',", "bind: \"localhost\",")
                .replace("// OpenClaw only\n}", "// OpenClaw only\n  agents: {\n    \"list\": [\n      {\n        \"id\": \"helper\",\n"
                        + "        \"default\": true\n      }\n    ]\n  },\n}"));
        assertThat(state.resolve("openclaw.json.bak")).doesNotExist();
        assertThat(res.toString()).doesNotContain(TestGateway.TOKEN);
        JsonNode after = ok(c.request("config.get"));
        assertThat(after.toString()).doesNotContain(TestGateway.TOKEN);
        assertThat(after.at("/config/gateway/auth/token").asText()).isEqualTo(ConfigStore.REDACTED);
        assertThat(after.at("/config/gateway/bind").asText()).isEqualTo("localhost");
        assertThat(ok(c.request("agents.list")).path("agents").findValuesAsText("id")).contains("helper");
    }
}

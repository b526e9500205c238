package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.JSON;
import static ai.clawbot.host.gateway.ProtocolSuite.chat;
import static ai.clawbot.host.gateway.ProtocolSuite.err;
import static ai.clawbot.host.gateway.ProtocolSuite.invalidParam;
import static ai.clawbot.host.gateway.ProtocolSuite.isEvent;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config.get|schema|patch}: redaction of the token, {@code baseHash} guarding every change, typed
 * refusals that leave the file byte for byte as it was, and agents applied at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigMethodsTest {

    @TempDir
    static Path state;
    static Gateway gateway;
    static ProtocolClient c;

    @BeforeAll
    static void start() throws Exception {
        gateway = ProtocolSuite.start(state, """
                {"gateway": {"auth": {"mode": "token", "token": "%s"}}}""".formatted(TestGateway.TOKEN),
                new ProtocolSuite.ScriptedEngine());
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

    private static Path file() {
        return state.resolve("openclaw.json");
    }

    private static byte[] bytes() throws Exception {
        return Files.readAllBytes(file());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static JsonNode patch(String baseHash, JsonNode mergePatch) throws Exception {
        ObjectNode params = p().put("baseHash", baseHash);
        params.set("patch", mergePatch);
        return c.request("config.patch", params);
    }

    @Test
    void getRedactsTheTokenAndReportsTheHashOfTheFile() throws Exception {
        JsonNode res = c.request("config.get");
        JsonNode got = ok(res);
        assertThat(res.toString()).doesNotContain(TestGateway.TOKEN);
        assertThat(got.path("config").path("gateway").path("auth").path("token").asText()).isEqualTo(ConfigStore.REDACTED);
        assertThat(got.path("config").path("gateway").path("auth").path("mode").asText()).isEqualTo("token");
        assertThat(got.path("hash").asText()).isEqualTo(sha256(bytes()));
        assertThat(got.path("valid").asBoolean()).isTrue();
        assertThat(got.path("path").asText()).isEqualTo(file().toAbsolutePath().toString());
        ProtocolSuite.assertParamsMustBeAnObject(c, "config.get");
        try (ProtocolClient writer = ProtocolSuite.client(gateway, List.of("operator.read", "operator.write"))) {
            err(writer.request("config.get"), "FORBIDDEN", "MISSING_SCOPE");
        }
    }

    @Test
    void schemaDescribesTheConfig() throws Exception {
        JsonNode schema = ok(c.request("config.schema"));
        assertThat(schema.path("$defs").has("gateway")).as("%s", schema).isTrue();
        assertThat(schema.path("$defs").has("agent")).isTrue();
        ProtocolSuite.assertParamsMustBeAnObject(c, "config.schema");
        // Admin only: the schema names every secret-bearing field.
        try (ProtocolClient reader = ProtocolSuite.client(gateway, List.of("operator.read", "operator.write"))) {
            err(reader.request("config.schema"), "FORBIDDEN", "MISSING_SCOPE");
        }
    }

    @Test
    void aPatchNeedsABaseHashAndAMergePatchObject() throws Exception {
        byte[] before = bytes();
        String hash = ok(c.request("config.get")).path("hash").asText();
        invalidParam(c.request("config.patch", p().set("patch", p().set("gateway", p().put("tickIntervalMs", 2000)))),
                "baseHash");
        invalidParam(c.request("config.patch", p().put("baseHash", "").set("patch", p())), "baseHash");
        invalidParam(c.request("config.patch", p().put("baseHash", hash)), "patch");
        invalidParam(c.request("config.patch", p().put("baseHash", hash).set("patch", JSON.createArrayNode().add(1))), "patch");
        invalidParam(c.request("config.patch", p().put("baseHash", hash).put("raw", "{not json")), "raw");
        assertThat(bytes()).isEqualTo(before);
    }

    @Test
    void aStaleBaseHashIsAConflictAndLeavesTheFileUntouched() throws Exception {
        byte[] before = bytes();
        String current = ok(c.request("config.get")).path("hash").asText();
        JsonNode e = err(patch("0".repeat(64), p().set("gateway", p().put("tickIntervalMs", 2000))),
                "INVALID_REQUEST", "CONFIG_CONFLICT");
        assertThat(e.path("details").path("currentHash").asText()).isEqualTo(current);
        assertThat(bytes()).isEqualTo(before);
    }

    @Test
    void anInvalidPatchNamesTheProblemAndLeavesTheFileUntouched() throws Exception {
        byte[] before = bytes();
        String hash = ok(c.request("config.get")).path("hash").asText();
        JsonNode e = err(patch(hash, p().set("gateway", p().put("port", 70000))), "INVALID_REQUEST", "CONFIG_INVALID");
        List<String> paths = new ArrayList<>();
        e.path("details").path("problems").forEach(pr -> paths.add(pr.path("path").asText()));
        assertThat(paths).anyMatch(x -> x.contains("gateway.port"));
        assertThat(bytes()).isEqualTo(before);
        assertThat(ok(c.request("config.get")).path("hash").asText()).isEqualTo(hash);
        // An agent id the schema refuses is refused too, and agents.list is unchanged.
        JsonNode agentsBefore = ok(c.request("agents.list"));
        ObjectNode bad = p();
        bad.putObject("agents").putArray("list").addObject().put("id", "Not An Id");
        err(patch(hash, bad), "INVALID_REQUEST", "CONFIG_INVALID");
        assertThat(ok(c.request("agents.list"))).isEqualTo(agentsBefore);
        assertThat(bytes()).isEqualTo(before);
    }

    @Test
    void aValidAgentsPatchAppliesAtOnceAndKeepsTheRedactedToken() throws Exception {
        try (ProtocolClient watcher = ProtocolSuite.client(gateway)) {
            JsonNode got = ok(c.request("config.get"));
            ObjectNode patch = p();
            ArrayNode list = patch.putObject("agents").putArray("list");
            list.addObject().put("id", "default").put("default", true);
            list.addObject().put("id", "helper").put("name", "Helper").put("type", "coder");
            // The redacted config sent back as is: the marker keeps the stored token.
            patch.set("gateway", got.path("config").path("gateway").deepCopy());
            JsonNode res = ok(patch(got.path("hash").asText(), patch));
            assertThat(res.path("hash").asText()).isNotEqualTo(got.path("hash").asText()).isEqualTo(sha256(bytes()));
            assertThat(res.path("restartRequired")).isEmpty();

            JsonNode agents = ok(c.request("agents.list")).path("agents");
            assertThat(agents.findValuesAsText("id")).containsExactly("default", "helper");
            assertThat(agents.get(1).path("name").asText()).isEqualTo("Helper");
            String runId = chat(c, "agent:helper:main", "hi helper");
            assertThat(runId).isNotBlank();

            JsonNode onDisk = JSON.readTree(bytes());
            assertThat(onDisk.path("gateway").path("auth").path("token").asText()).isEqualTo(TestGateway.TOKEN);
            JsonNode event = watcher.eventsUntil(e -> isEvent(e, "config.changed"), ProtocolSuite.WAIT).getLast();
            assertThat(event.path("payload").path("hash").asText()).isEqualTo(res.path("hash").asText());
        }
    }

    @Test
    void aGatewayChangeWithTheMarkerKeepsTheTokenAndSaysARestartIsNeeded() throws Exception {
        JsonNode got = ok(c.request("config.get"));
        ObjectNode gw = p();
        gw.putObject("auth").put("token", ConfigStore.REDACTED);
        gw.put("tickIntervalMs", 3000);
        JsonNode res = ok(patch(got.path("hash").asText(), p().set("gateway", gw)));
        assertThat(res.path("restartRequired").toString()).contains("gateway");
        assertThat(res.toString()).doesNotContain(TestGateway.TOKEN);
        JsonNode onDisk = JSON.readTree(bytes());
        assertThat(onDisk.path("gateway").path("auth").path("token").asText()).isEqualTo(TestGateway.TOKEN);
        assertThat(onDisk.path("gateway").path("tickIntervalMs").asInt()).isEqualTo(3000);
        // The token still works.
        try (ProtocolClient again = ProtocolSuite.client(gateway)) {
            ok(again.request("health"));
        }
    }
}

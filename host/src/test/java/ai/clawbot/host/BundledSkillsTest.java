package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh gateway installs every plugin the build bundled (signed there with the development key) and loads
 * all of them: obsidian, workspace (the coder's files and commands) and web (the researcher's fetch and search).
 * No Docker needed: loading verifies and reads manifests; nothing runs.
 */
class BundledSkillsTest {

    @Test
    void aFreshGatewayLoadsTheBundledSkillsSignedByTheDevelopmentKey() throws Exception {
        Path state = Files.createTempDirectory("claw-bundled");
        try (Gateway gateway = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            try (Stream<Path> s = Files.list(state.resolve("plugins"))) {
                assertThat(s.map(p -> p.getFileName().toString())).contains(
                        "obsidian.jar", "obsidian.jar.sig", "workspace.jar", "workspace.jar.sig", "web.jar", "web.jar.sig",
                        "gemini.jar", "gemini.jar.sig");
            }
            JsonNode list = client.request("skills.list");
            assertThat(list.path("ok").asBoolean()).as(list.toString()).isTrue();
            JsonNode payload = list.path("payload");
            assertThat(payload.path("refused")).as(payload.path("refused").toString()).isEmpty();
            assertThat(payload.path("skills").findValuesAsText("id")).containsExactly("gemini", "obsidian", "web", "workspace");

            Map<String, JsonNode> byId = new HashMap<>();
            payload.path("skills").forEach(s -> byId.put(s.path("id").asText(), s));
            for (JsonNode s : byId.values()) {
                assertThat(s.at("/signer/name").asText()).as(s.path("id").asText()).isEqualTo("dev-publisher");
                assertThat(s.path("image").asText()).isEqualTo("skill-jre");
            }
            assertThat(byId.get("obsidian").at("/signer/keyId")).isEqualTo(byId.get("workspace").at("/signer/keyId"));

            JsonNode workspace = byId.get("workspace");
            assertThat(workspace.path("version").asText()).isEqualTo("0.1.0");
            assertThat(workspace.path("tools").findValuesAsText("name")).containsExactly("list", "read", "write", "edit", "exec");
            assertThat(workspace.path("tools").findValuesAsText("effect")).containsExactly("read", "read", "write", "write", "write");
            assertThat(workspace.at("/permissions/workspace").asText()).isEqualTo("rw");
            assertThat(workspace.path("network").asText()).isEqualTo("none");

            JsonNode web = byId.get("web");
            assertThat(web.path("version").asText()).isEqualTo("0.1.0");
            assertThat(web.path("tools").findValuesAsText("name")).containsExactly("fetch", "search");
            assertThat(web.path("tools").findValuesAsText("effect")).containsExactly("read", "read");
            assertThat(web.at("/permissions/workspace").asText()).isEqualTo("none");
            assertThat(web.at("/network/allow").isMissingNode()).as("no fixed site").isTrue();
            assertThat(web.at("/network/grants").findValuesAsText("setting")).containsExactly("sites", "search_url");
            assertThat(web.path("granted")).as("nothing granted until the operator configures it").isEmpty();
        } finally {
            TestGateway.deleteTree(state);
        }
    }
}

package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A config already on disk (written by hand) that does not fit a skill's settings schema: the gateway starts, the
 * skill is listed with its problems (JSON paths), and its calls are refused with SETTINGS_INVALID before any
 * container starts, so a half-understood grant never opens anything.
 */
@ExtendWith(DockerRequired.class)
class MisconfiguredSkillTest {

    @Test
    void aSkillWhoseConfigDoesNotFitItsSchemaIsListedWithItsProblemsAndRefusesCalls() throws Exception {
        Path state = Files.createTempDirectory("claw-misconfigured");
        List<String> started = new CopyOnWriteArrayList<>();
        Files.writeString(state.resolve("openclaw.json"),
                "{\"plugins\": {\"entries\": {\"web\": {\"config\": {\"sites\": [\"127.0.0.1\"], \"search_url\": 7}}}}}\n");
        try (Gateway gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                started.add(containerId);
            }
        }); ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode web = null;
            for (JsonNode s : c.request("skills.list", ProtocolClient.params()).at("/payload/skills")) {
                if (s.path("id").asText().equals("web")) {
                    web = s;
                }
            }
            assertThat(web).isNotNull();
            assertThat(web.path("configProblems").findValuesAsText("path")).containsExactlyInAnyOrder(
                    "$.plugins.entries.web.config.sites[0]", "$.plugins.entries.web.config.search_url");
            assertThat(web.path("granted")).isEmpty();

            ObjectNode p = ProtocolClient.params().put("skill", "web").put("tool", "fetch");
            p.putObject("args").put("url", "http://127.0.0.1/");
            JsonNode res = c.request("tools.invoke", p);
            assertThat(res.toString()).contains("SETTINGS_INVALID").contains("$.plugins.entries.web.config.sites[0]");
            assertThat(started).as("no container for a misconfigured skill").isEmpty();
        } finally {
            TestGateway.deleteTree(state);
        }
    }
}

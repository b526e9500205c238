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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandbox.list} shows the warm sandbox a call left; {@code sandbox.prune} (admin only) stops it. */
@ExtendWith(DockerRequired.class)
class SandboxMethodsTest {

    @TempDir
    Path state;

    @Test
    void listShowsTheWarmSandboxAndPruneStopsItForAdminsOnly() throws Exception {
        Set<String> started = ConcurrentHashMap.newKeySet();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        SandboxObserver observer = new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                started.add(containerId);
            }

            @Override
            public void removed(String containerId) {
                removed.add(containerId);
            }
        };
        try (Gateway g = TestGateway.start(state, observer);
             ProtocolClient admin = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient reader = ProtocolClient.open(g.webSocketUri())) {
            reader.sendConnect(TestGateway.TOKEN, List.of("operator.read"));
            Files.createDirectories(state.resolve("workspace"));
            Files.writeString(state.resolve("workspace/note.md"), "a lighthouse");
            assertThat(admin.request("sandbox.list").at("/payload/sandboxes")).isEmpty();

            ObjectNode call = ProtocolClient.params().put("skill", "obsidian").put("tool", "search_content");
            call.putObject("args").put("query", "lighthouse");
            JsonNode res = admin.request("tools.invoke", call);
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();

            JsonNode list = reader.request("sandbox.list");
            assertThat(list.at("/payload/sandboxes")).hasSize(1);
            JsonNode warm = list.at("/payload/sandboxes/0");
            assertThat(warm.path("skill").asText()).isEqualTo("obsidian");
            assertThat(warm.path("agentId").asText()).isEqualTo("default");
            assertThat(warm.path("busy").asBoolean()).isFalse();

            JsonNode refused = reader.request("sandbox.prune");
            assertThat(refused.at("/error/details/code").asText()).isEqualTo("MISSING_SCOPE");
            assertThat(reader.request("sandbox.list").at("/payload/sandboxes")).hasSize(1);

            JsonNode pruned = admin.request("sandbox.prune");
            assertThat(pruned.at("/payload/stopped").asInt()).as(pruned.toString()).isEqualTo(1);
            assertThat(admin.request("sandbox.list").at("/payload/sandboxes")).isEmpty();
            assertThat(removed).containsAll(started).isNotEmpty();
        }
    }
}

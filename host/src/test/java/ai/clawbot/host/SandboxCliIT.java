package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code claw sandbox list|prune|build} against a running gateway's warm containers. */
@ExtendWith(DockerRequired.class)
class SandboxCliIT {

    @TempDir
    Path state;
    @TempDir
    Path neighbour;

    @Test
    void listShowsTheWarmContainerPruneRemovesItAndTheGatewayRecovers() throws Exception {
        Files.createDirectories(state.resolve("workspace"));
        Files.writeString(state.resolve("workspace/n.md"), "hello\n");
        Map<String, String> env = Map.of("OPENCLAW_STATE_DIR", state.toString());
        Files.createDirectories(neighbour.resolve("workspace"));
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(gw.webSocketUri(), TestGateway.TOKEN);
             Gateway other = TestGateway.start(neighbour, SandboxObserver.NONE);
             ProtocolClient o = ProtocolClient.connect(other.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode params = ProtocolClient.params().put("skill", "obsidian").put("tool", "search");
            params.putObject("args").put("query", "n");
            JsonNode first = c.request("tools.invoke", params);
            String id = first.at("/payload/sandbox/containerId").asText();
            assertThat(id).as(first.toString()).isNotBlank();
            // Another gateway on the same engine (another state folder): its sandbox is not this folder's to prune.
            JsonNode theirs = o.request("tools.invoke", params);
            String otherId = theirs.at("/payload/sandbox/containerId").asText();
            assertThat(otherId).as(theirs.toString()).isNotBlank();

            Claw.Result list = Claw.run(env, null, "sandbox", "list");
            assertThat(list.exit()).as(list.out()).isZero();
            assertThat(list.out()).contains(id.substring(0, 12)).contains("obsidian").contains("default/agent:default:main/obsidian/");

            Claw.Result prune = Claw.run(env, null, "sandbox", "prune");
            assertThat(prune.out()).contains("removed 1 sandbox container");
            assertThat(Claw.run(env, null, "sandbox", "list").out()).contains("no sandbox containers");
            assertThat(Claw.run(env, null, "sandbox", "list", "--all").out()).contains(otherId.substring(0, 12));
            JsonNode stillWarm = o.request("tools.invoke", params);
            assertThat(stillWarm.at("/payload/sandbox/containerId").asText()).as("the neighbour's warm container")
                    .isEqualTo(otherId);

            JsonNode again = c.request("tools.invoke", params);
            assertThat(again.path("ok").asBoolean()).as(again.toString()).isTrue();
            assertThat(again.at("/payload/sandbox/containerId").asText()).isNotEqualTo(id);
        }
        Claw.Result build = Claw.run(env, null, "sandbox", "build");
        assertThat(build.exit()).as(build.out()).isZero();
        assertThat(build.out()).contains("building skill-jre (" + DockerRequired.IMAGE + ")").contains(DockerRequired.IMAGE + " is up to date");
    }
}

package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-agent workspaces, through the offline model's explicit commands (no model provider configured): the coder
 * writes into its own {@code workspace-coder/}, the default agent into the gateway's {@code workspace/}, each in
 * its own sandbox; an agent configured with a sensitive folder gets a refusal and no container.
 */
@ExtendWith(DockerRequired.class)
class AgentWorkspaceTest {

    private static final AtomicInteger KEYS = new AtomicInteger();

    @TempDir
    Path state;

    @Test
    void eachAgentWritesInItsOwnWorkspaceAndASensitiveOneIsRefused() throws Exception {
        Files.writeString(state.resolve("openclaw.json"), """
                {"agents": {"list": [
                  {"id": "default", "default": true},
                  {"id": "coder", "type": "coder", "workspace": "workspace-coder"},
                  {"id": "rogue", "workspace": "%s"}
                ]}}""".formatted(state.resolve("trust").toString()));
        try (Gateway g = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode coder = run(c, "agent:coder:main", "/workspace write path=plan.md content=\"coder notes\"");
            assertThat(coder.path("status").asText()).as(coder.toString()).isEqualTo("ok");
            assertThat(Files.readString(state.resolve("workspace-coder/plan.md"))).isEqualTo("coder notes");
            assertThat(state.resolve("workspace/plan.md")).doesNotExist();

            JsonNode main = run(c, "main", "/workspace write path=plan.md content=\"main notes\"");
            assertThat(main.path("status").asText()).as(main.toString()).isEqualTo("ok");
            assertThat(Files.readString(state.resolve("workspace/plan.md"))).isEqualTo("main notes");
            assertThat(Files.readString(state.resolve("workspace-coder/plan.md"))).isEqualTo("coder notes");

            JsonNode rogue = run(c, "agent:rogue:main", "/workspace list");
            assertThat(rogue.path("status").asText()).as(rogue.toString()).isEqualTo("error");
            assertThat(rogue.path("result").asText()).contains("state folder");
        }
    }

    /** Sends a message and returns the {@code end} tool event of its run. */
    private static JsonNode run(ProtocolClient c, String session, String message) throws Exception {
        JsonNode ack = c.request("chat.send", ProtocolClient.params().put("sessionKey", session).put("message", message)
                .put("idempotencyKey", "aw-" + KEYS.incrementAndGet()));
        assertThat(ack.at("/payload/status").asText()).as(ack.toString()).isEqualTo("started");
        String runId = ack.at("/payload/runId").asText();
        JsonNode end = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = c.nextEvent(Duration.ofMillis(500));
            if (e == null || !runId.equals(e.at("/payload/runId").asText())) {
                continue;
            }
            if ("end".equals(e.at("/payload/data/phase").asText()) && "tool".equals(e.at("/payload/stream").asText())) {
                end = e.at("/payload/data");
            }
            if ("chat".equals(e.path("event").asText()) && "final".equals(e.at("/payload/state").asText())) {
                assertThat(end).as("a tool ran in run " + runId).isNotNull();
                return end;
            }
        }
        throw new AssertionError("no final chat event for " + runId);
    }
}

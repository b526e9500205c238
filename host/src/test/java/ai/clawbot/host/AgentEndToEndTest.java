package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.testkit.model.LocalModelServer;
import ai.clawbot.testkit.model.ToolCallingModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One agent turn end to end over the WebSocket, every part real: {@code chat.send} → the agent loop asks a local
 * OpenAI-compatible server (SSE streaming) → the model asks for {@code obsidian.search_content} → the tool runs in
 * a hardened Docker container over the note vault → the result goes back to the model → its answer, built from that
 * result, is the {@code chat} final and the transcript holds the whole turn.
 *
 * <p>The model server never knows the note's path: it copies it out of the tool result it receives, so the path in
 * the final answer proves the tool really ran and its result really reached the model.
 */
@ExtendWith(DockerRequired.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerClient DOCKER = DockerClients.create();
    private static final String NOTE = "Coast/Old Lighthouse.md";
    private static final String CALL_ID = "call_lh_1";

    private static final List<InspectContainerResponse> STARTED = new CopyOnWriteArrayList<>();
    private static final List<String> REMOVED = new CopyOnWriteArrayList<>();

    private static Path state;
    private static LocalModelServer model;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        model = LocalModelServer.start(ToolCallingModel.calling(CALL_ID, "obsidian__search_content", "{\"query\":\"lighthouse\"}"));

        state = Files.createTempDirectory("claw-agent-e2e");
        TestGateway.useLocalModel(state, model.v1Url());
        Path vault = state.resolve("workspace");
        write(vault.resolve(NOTE), "# Old Lighthouse\nThe lighthouse keeper logs the fog every night.\n");
        write(vault.resolve("Recipes/Bread.md"), "Flour, water, salt.\n");
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                STARTED.add(DOCKER.inspectContainerCmd(containerId).exec()); // live, from the engine
            }

            @Override
            public void removed(String containerId) {
                REMOVED.add(containerId);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
                // Warm containers live until the gateway stops; then the ones this test caused must be gone.
                for (InspectContainerResponse c : STARTED) {
                    assertThat(REMOVED).contains(c.getId());
                    assertThat(gone(c.getId())).as("container %s removed", c.getId()).isTrue();
                }
            }
        } finally {
            if (model != null) {
                model.close();
            }
            TestGateway.deleteTree(state);
        }
    }

    private static boolean gone(String id) {
        try {
            DOCKER.inspectContainerCmd(id).exec();
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void chatSendRunsTheModelsToolCallInDockerAndAnswersFromItsResult() throws Exception {
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            String sessionKey = "agent:default:lighthouse";
            String message = "Which note mentions the lighthouse?";
            int startedBefore = STARTED.size();

            JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", sessionKey)
                    .put("message", message).put("idempotencyKey", UUID.randomUUID().toString()));
            assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
            assertThat(ack.at("/payload/status").asText()).isEqualTo("started");
            String runId = ack.at("/payload/runId").asText();
            assertThat(runId).isNotBlank();

            List<JsonNode> events = client.eventsUntil(e -> runId.equals(e.at("/payload/runId").asText())
                    && "chat".equals(e.path("event").asText())
                    && List.of("final", "error", "aborted").contains(e.at("/payload/state").asText()), Duration.ofSeconds(90));
            List<JsonNode> run = events.stream().filter(e -> runId.equals(e.at("/payload/runId").asText())).toList();
            JsonNode last = run.get(run.size() - 1);
            assertThat(last.at("/payload/state").asText()).as("the run ended: %s", last).isEqualTo("final");

            // The agent's tool events: start then end of obsidian.search_content, status ok, with the note found.
            List<JsonNode> tool = run.stream().filter(e -> "agent".equals(e.path("event").asText())
                    && "tool".equals(e.at("/payload/stream").asText())).map(e -> e.at("/payload/data")).toList();
            assertThat(tool).as("tool events: %s", tool).hasSize(2);
            JsonNode start = tool.get(0);
            JsonNode end = tool.get(1);
            assertThat(start.path("phase").asText()).isEqualTo("start");
            assertThat(start.path("toolCallId").asText()).isEqualTo(CALL_ID);
            assertThat(start.path("skill").asText()).isEqualTo("obsidian");
            assertThat(start.path("tool").asText()).isEqualTo("search_content");
            assertThat(start.path("args")).isEqualTo(JSON.readTree("{\"query\":\"lighthouse\"}"));
            assertThat(end.path("phase").asText()).isEqualTo("end");
            assertThat(end.path("toolCallId").asText()).isEqualTo(CALL_ID);
            assertThat(end.path("skill").asText() + "." + end.path("tool").asText()).isEqualTo("obsidian.search_content");
            assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("ok");
            assertThat(end.path("isError").asBoolean()).isFalse();
            assertThat(end.path("result").asText()).contains(NOTE).doesNotContain("Bread");

            // The final chat event carries the answer the model built from the tool result.
            String finalText = text(last.at("/payload/message"));
            assertThat(finalText).isEqualTo("Found: " + NOTE);
            assertThat(last.at("/payload/stopReason").asText()).isEqualTo("stop");
            int endAt = run.indexOf(run.stream().filter(e -> e.at("/payload/data").equals(end)).findFirst().orElseThrow());
            assertThat(run.subList(endAt, run.size()).stream().filter(e -> "delta".equals(e.at("/payload/state").asText()))
                    .map(e -> e.at("/payload/deltaText").asText()).reduce("", String::concat))
                    .as("the answer streamed after the tool ended").isEqualTo(finalText);

            // A container of the skill's image really started for this call, in this session's scope.
            assertThat(STARTED).hasSize(startedBefore + 1);
            InspectContainerResponse c = STARTED.get(startedBefore);
            assertThat(c.getState().getRunning()).isTrue();
            assertThat(c.getConfig().getLabels()).containsEntry("ai.clawbot.skill", "obsidian")
                    .containsEntry("ai.clawbot.image", DockerRequired.FAMILY);
            assertThat(c.getConfig().getImage()).isEqualTo(DOCKER.inspectImageCmd(DockerRequired.IMAGE).exec().getId());
            assertThat(c.getHostConfig().getNetworkMode()).isEqualTo("none");
            assertThat(c.getHostConfig().getCapDrop()).extracting(Object::toString).containsExactly("ALL");

            // The model was asked twice: first with the tool offered, then with the tool result.
            List<String> bodies = model.received().stream().map(LocalModelServer.Received::body).toList();
            assertThat(bodies).hasSize(2);
            JsonNode first = JSON.readTree(bodies.get(0));
            assertThat(first.path("model").asText()).isEqualTo("test-model");
            assertThat(first.path("stream").asBoolean()).isTrue();
            assertThat(first.path("tools").findValuesAsText("name")).contains("obsidian__search_content");
            assertThat(lastUser(first)).isEqualTo(message);
            JsonNode second = JSON.readTree(bodies.get(1));
            JsonNode toolMsg = null;
            for (JsonNode m : second.path("messages")) {
                if ("tool".equals(m.path("role").asText())) {
                    toolMsg = m;
                }
            }
            assertThat(toolMsg).as("second request: %s", second).isNotNull();
            assertThat(toolMsg.path("tool_call_id").asText()).isEqualTo(CALL_ID);
            assertThat(toolMsg.path("content").asText()).contains(NOTE).contains("The lighthouse keeper logs the fog");
            JsonNode echoedCall = second.at("/messages").findParent("tool_calls");
            assertThat(echoedCall).as("the assistant's tool call is replayed to the model").isNotNull();
            assertThat(echoedCall.at("/tool_calls/0/id").asText()).isEqualTo(CALL_ID);
            assertThat(echoedCall.at("/tool_calls/0/function/name").asText()).isEqualTo("obsidian__search_content");

            // chat.history holds the whole turn, in order.
            JsonNode history = client.request("chat.history", ProtocolClient.params().put("sessionKey", sessionKey));
            assertThat(history.path("ok").asBoolean()).as(history.toString()).isTrue();
            JsonNode ms = history.at("/payload/messages");
            assertThat(ms.findValuesAsText("role")).as(ms.toString())
                    .containsExactly("user", "assistant", "toolResult", "assistant");
            assertThat(text(ms.get(0))).isEqualTo(message);
            assertThat(ms.get(0).path("id").asText()).isEqualTo(ack.at("/payload/messageId").asText());
            JsonNode call = ms.get(1).path("content").findParent("arguments");
            assertThat(call).as(ms.get(1).toString()).isNotNull();
            assertThat(call.path("type").asText()).isEqualTo("toolCall");
            assertThat(call.path("id").asText()).isEqualTo(CALL_ID);
            assertThat(call.path("name").asText()).isEqualTo("obsidian.search_content");
            assertThat(call.path("arguments")).isEqualTo(JSON.readTree("{\"query\":\"lighthouse\"}"));
            assertThat(ms.get(2).path("toolCallId").asText()).isEqualTo(CALL_ID);
            assertThat(ms.get(2).path("toolName").asText()).isEqualTo("obsidian.search_content");
            assertThat(ms.get(2).path("isError").asBoolean()).isFalse();
            assertThat(text(ms.get(2))).contains(NOTE);
            assertThat(text(ms.get(3))).isEqualTo(finalText);
            assertThat(ms.get(3).path("id").asText()).isEqualTo(last.at("/payload/message/id").asText());
            for (int i = 1; i < ms.size(); i++) {
                assertThat(ms.get(i).path("timestamp").asLong()).isGreaterThanOrEqualTo(ms.get(i - 1).path("timestamp").asLong());
            }
        }
    }

    private static String text(JsonNode message) {
        StringBuilder b = new StringBuilder();
        for (JsonNode part : message.path("content")) {
            if ("text".equals(part.path("type").asText())) {
                b.append(part.path("text").asText());
            }
        }
        return b.toString();
    }

    private static String lastUser(JsonNode body) {
        String last = null;
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                last = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
            }
        }
        return last;
    }
}

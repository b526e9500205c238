package ai.clawbot.host.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Agent turns through the gateway on an OpenClaw-format {@code openclaw.json} (JSON5, {@code api:
 * "openai-completions"}, model objects with {@code contextWindow}/{@code maxTokens}, {@code agents.entries},
 * {@code agents.defaults.model} as {@code {primary, fallbacks}}, {@code ${HOME}} as the key) against a local server
 * speaking OpenAI's chat-completions wire format.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenClawProviderAgentTurnTest {

    private LocalModelServer model;
    private Gateway gateway;
    private ProtocolClient client;
    private Path state;

    @BeforeAll
    void start() throws Exception {
        model = LocalModelServer.start(LocalModelServer.openAiReply("m", "Tides ", "turn at six."));
        state = Files.createTempDirectory("claw-openclaw-turn");
        Files.writeString(state.resolve("openclaw.json"), """
                // OpenClaw's local-models example, pointed at the test's server
                {
                  agents: {
                    defaults: { model: { primary: "local/wide-model", fallbacks: ["local/narrow-model"] } },
                    entries: {
                      main: { default: true },
                      narrow: { model: "local/narrow-model" },
                    },
                  },
                  channels: { whatsapp: { allowFrom: ["+15555550123"] } },
                  models: {
                    mode: "merge",
                    providers: {
                      local: {
                        baseUrl: "%s",
                        apiKey: "${HOME}",
                        api: "openai-completions",
                        models: [
                          { id: "wide-model", name: "Wide", input: ["text"], contextWindow: 120000, maxTokens: 8192 },
                          { id: "narrow-model", name: "Narrow", contextWindow: 30, maxTokens: 64 },
                        ],
                      },
                    },
                  },
                }
                """.formatted(model.v1Url()));
        gateway = TestGateway.start(state, SandboxObserver.NONE);
        client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        gateway.close();
        model.close();
        TestGateway.deleteTree(state);
    }

    @Test
    void aTurnOnTheDefaultAgentUsesTheOpenClawProviderEntry() throws Exception {
        model.drain();
        JsonNode last = turn("agent:main:tides", "When does the tide turn?");
        assertThat(last.at("/payload/state").asText()).as(last.toString()).isEqualTo("final");
        assertThat(last.at("/payload/message").toString()).contains("Tides turn at six.");

        LocalModelServer.Received sent = model.last();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer " + System.getenv("HOME"));
        assertThat(sent.json().path("model").asText()).isEqualTo("wide-model");
        assertThat(sent.json().path("max_tokens").asInt()).as("maxTokens caps the request").isEqualTo(8192);
    }

    @Test
    void contextWindowSizesTheHistorySent() throws Exception {
        String first = "Remember the harbour master's name is Ottoline Bramblewick.";
        turn("agent:main:wide", first);
        turn("agent:narrow:small", first);
        model.drain();
        turn("agent:main:wide", "And the tide?");
        List<String> wideBodies = model.received().stream().map(LocalModelServer.Received::body).toList();
        assertThat(wideBodies.get(wideBodies.size() - 1)).as("120000-token window: the history goes along").contains("Bramblewick");

        turn("agent:narrow:small", "And the tide?");
        LocalModelServer.Received narrow = model.last();
        assertThat(narrow.json().path("model").asText()).isEqualTo("narrow-model");
        assertThat(narrow.json().path("max_tokens").asInt()).isEqualTo(64);
        assertThat(narrow.body()).as("30-token window: the earlier turn is compacted out").doesNotContain("Bramblewick");
    }

    private JsonNode turn(String sessionKey, String message) throws Exception {
        JsonNode ack = client.request("chat.send", ProtocolClient.params().put("sessionKey", sessionKey)
                .put("message", message).put("idempotencyKey", UUID.randomUUID().toString()));
        assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
        String runId = ack.at("/payload/runId").asText();
        List<JsonNode> run = client.eventsUntil(e -> runId.equals(e.at("/payload/runId").asText())
                && "chat".equals(e.path("event").asText())
                && List.of("final", "error", "aborted").contains(e.at("/payload/state").asText()), Duration.ofSeconds(30));
        return run.get(run.size() - 1);
    }
}

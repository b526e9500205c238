package ai.clawbot.host.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.testkit.model.LocalModelServer;
import ai.clawbot.testkit.model.ToolCallingModel;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A chat turn in the browser with every part real: the gateway's model router calls a local OpenAI-compatible server
 * (SSE), which asks for {@code obsidian__search_content}; the tool runs in the Docker sandbox over the note vault;
 * the model then answers from the tool's result. The page shows the answer while it streams, and a card for the
 * tool call with its arguments, status, result and duration.
 */
@ExtendWith({ChromiumRequired.class, DockerRequired.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlUiAgentTest {

    private static final String NOTE = "Coast/Old Lighthouse.md";
    private static final String CALL_ID = "call_ui_lh_1";

    private static Path state;
    private static LocalModelServer model;
    private static final java.util.concurrent.CountDownLatch STREAMING_SEEN = new java.util.concurrent.CountDownLatch(1);
    private static Gateway gateway;
    private static Browser browser;
    private static ControlUi ui;

    @BeforeAll
    static void start() throws Exception {
        // The model holds its answer until the test has seen the page streaming: a fixed pause raced a loaded machine.
        model = LocalModelServer.start(ToolCallingModel.calling(CALL_ID, "obsidian__search_content", "{\"query\":\"lighthouse\"}")
                .holdingTheAnswerUntil(STREAMING_SEEN));
        state = Files.createTempDirectory("claw-ui-agent");
        TestGateway.useLocalModel(state, model.v1Url());
        write(state.resolve("workspace").resolve(NOTE), "# Old Lighthouse\nThe lighthouse keeper logs the fog every night.\n");
        write(state.resolve("workspace/Recipes/Bread.md"), "Flour, water, salt.\n");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
        browser = Browser.start();
        ui = new ControlUi(browser);
    }

    @AfterEach
    void noPolicyViolations() {
        assertThat(browser.cspViolations()).as("Content-Security-Policy violations").isEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (model != null) {
                model.close();
            }
            TestGateway.deleteTree(state);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void theAnswerStreamsInAndTheSandboxedToolCallGetsACard() {
        ui.signIn(gateway.controlUiUrl());
        ui.newSession("lighthouse");
        // What the gateway published, when, as a second client saw it: if the page misses the stream, this says
        // whether the events came late (server side) or came and were not shown (page side).
        java.util.List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            ProtocolClient events = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
            Thread.ofPlatform().daemon().start(() -> {
                try (events) {
                    while (watching.get()) {
                        JsonNode e = events.nextEvent(Duration.ofMillis(200));
                        if (e != null && List.of("chat", "agent").contains(e.path("event").asText())) {
                            JsonNode p = e.path("payload");
                            published.add(java.time.Instant.now() + " " + e.path("event").asText() + " "
                                    + p.path("state").asText(p.path("stream").asText()) + " "
                                    + p.path("deltaText").asText(p.path("data").path("phase").asText()));
                        }
                    }
                } catch (Exception ignored) {
                    // the watcher only reports
                }
            });
        } catch (Exception e) {
            throw new AssertionError("could not watch the gateway's events", e);
        }
        ui.send("Which note mentions the lighthouse?");

        // While the model pauses mid-answer, the page shows what streamed so far.
        java.time.Instant sent = java.time.Instant.now();
        WebElement streaming;
        try {
            streaming = browser.until("the answer to stream in", Duration.ofSeconds(60), d -> d.findElements(
                    By.cssSelector("#chat-messages .msg.assistant.running")).stream()
                    .filter(e -> e.getText().contains("Found:")).findFirst().orElse(null));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nsent at " + sent + "; model requests so far: " + model.hits() + "\nconnection: "
                    + browser.js("return document.getElementById('status').dataset.state") + "\npublished:\n  "
                    + String.join("\n  ", published) + "\npage: "
                    + browser.js("return document.getElementById('chat-messages').outerHTML"), e);
        } finally {
            watching.set(false);
        }
        assertThat(streaming.getText()).contains("streaming").doesNotContain(NOTE);
        browser.screenshot("20-agent-streaming");
        STREAMING_SEEN.countDown();

        ui.awaitAnswer("Found: " + NOTE);
        WebElement card = ui.toolCard(CALL_ID);
        browser.until("the tool card to settle", d -> "ok".equals(ui.toolCard(CALL_ID).getDomAttribute("data-status")));
        card = ui.toolCard(CALL_ID);
        assertThat(card.findElement(By.tagName("strong")).getText()).isEqualTo("obsidian.search_content");
        assertThat(card.findElement(By.cssSelector(".args pre")).getText()).contains("\"query\": \"lighthouse\"");
        assertThat(card.findElement(By.cssSelector(".result pre")).getText()).contains(NOTE).doesNotContain("Bread");
        assertThat(card.findElement(By.className("duration")).getText()).matches("\\d+ ms");

        // In order, each once: the question, the tool call, the answer.
        @SuppressWarnings("unchecked")
        List<String> kinds = (List<String>) browser.js("return [...document.querySelectorAll('#chat-messages > [data-key]')]"
                + ".map(e => e.classList.contains('tool') ? 'tool:' + e.dataset.toolCallId : e.dataset.role)");
        assertThat(kinds).containsExactly("user", "tool:" + CALL_ID, "assistant");
        browser.screenshot("21-agent-tool-card");

        ui.tab("agents");
        assertThat(browser.visible(By.cssSelector("[data-agent-id='default'] .model")).getText())
                .isEqualTo("local/test-model (models.routing.planner)");
    }
}

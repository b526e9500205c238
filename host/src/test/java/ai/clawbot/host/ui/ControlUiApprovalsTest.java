package ai.clawbot.host.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.StreamingModelCaller;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
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
 * Approvals and plugins in the browser. A signed test plugin's {@code courier.send} has effect {@code external}, so
 * each call waits for the operator: one is approved (it then runs in the Docker sandbox), one denied (it never runs).
 * The Skills view lists a tampered copy of the bundled plugin as refused with its reason, and installs a plugin from a
 * path after showing what it may do.
 */
@ExtendWith({ChromiumRequired.class, DockerRequired.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlUiApprovalsTest {

    private static final String COURIER_YAML = """
            id: %s
            version: 1.0.0
            description: Sends a message to someone outside.
            tools:
              - name: send
                description: Deliver a message.
                effect: external
                approval: {preview: send_preview}
                input: {type: object, properties: {to: {type: string}, text: {type: string}}, required: [to]}
              - name: send_preview
                description: What send would deliver, to whom.
                effect: read
                input: {type: object, properties: {to: {type: string}, text: {type: string}}, required: [to]}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: none}
            network: none
            """;
    private static final String COURIER_SOURCE = """
            package %s;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Courier implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of("send", (a, c) -> ToolResult.text("delivered to " + a.path("to").asText()),
                            "send_preview", (a, c) -> {
                                var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                                o.putArray("to").add(a.path("to").asText() + "@couriers.example");
                                o.put("subject", "Re: Greetings").put("body", "Line one\\nLine two");
                                return ToolResult.of("preview", o);
                            });
                }
            }
            """;

    private static Path tmp;
    private static Path state;
    private static Path greeterJar;
    private static Gateway gateway;
    private static Browser browser;
    private static ControlUi ui;

    @BeforeAll
    static void start() throws Exception {
        tmp = Files.createTempDirectory("claw-ui-approvals");
        state = tmp.resolve("state");
        Path plugins = state.resolve("plugins");
        KeyPair key = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(key.getPublic(), "ui-test-publisher");
        signed(plugin("courier"), plugins, key);
        greeterJar = signed(plugin("greeter"), Files.createDirectories(tmp.resolve("outside")), key);
        // The plugins folder exists, so the bundle is not installed by itself: copy it, and a tampered twin.
        TestGateway.copyBundled("plugins/obsidian.jar", plugins.resolve("obsidian.jar"));
        TestGateway.copyBundled("plugins/obsidian.jar.sig", plugins.resolve("obsidian.jar.sig"));
        byte[] jar = Files.readAllBytes(plugins.resolve("obsidian.jar"));
        jar[jar.length / 2] ^= 0x01;
        Files.write(plugins.resolve("obsidian-copy.jar"), jar);
        Files.copy(plugins.resolve("obsidian.jar.sig"), plugins.resolve("obsidian-copy.jar.sig"));

        gateway = TestGateway.start(state, Gateway.Options.defaults().models(agent -> new StreamingModelCaller(new CourierModel(), "courier")));
        browser = Browser.start();
        ui = new ControlUi(browser);
    }

    private static TestPluginJar plugin(String id) {
        return TestPluginJar.of(id, "1.0.0", COURIER_YAML.formatted(id), id + ".Courier", COURIER_SOURCE.formatted(id));
    }

    private static Path signed(TestPluginJar plugin, Path dir, KeyPair key) throws Exception {
        Files.createDirectories(dir);
        Path jar = plugin.build(Files.createDirectories(tmp.resolve("build-" + dir.getFileName())));
        Path target = Files.move(jar, dir.resolve(jar.getFileName()));
        Files.write(target.resolveSibling(target.getFileName() + ".sig"),
                PluginSigner.sign(Files.readAllBytes(target), key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        return target;
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
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            TestGateway.deleteTree(tmp);
        }
    }

    /** Calls courier.send for the name after "to " in the user's message; then reports what the tool said. */
    static final class CourierModel implements StreamingChatModel {
        @Override
        public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof ToolExecutionResultMessage result) {
                String text = "courier said: " + result.text();
                handler.onPartialResponse(text);
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text)).build());
                return;
            }
            String said = last instanceof UserMessage u && u.hasSingleText() ? u.singleText() : "";
            String to = said.replaceFirst("(?s).*\\bto (\\w+).*", "$1");
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-" + to).name("courier__send")
                    .arguments("{\"to\":\"" + to + "\",\"text\":\"hello\",\"subject\":\"Greetings\","
                            + "\"body\":\"Line one\\nLine two\"}").build();
            handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(List.of(call))).build());
        }
    }

    @Test
    void oneCallIsApprovedAndRunsAnotherIsDeniedAndNeverRuns() {
        ui.signIn(gateway.controlUiUrl());
        ui.newSession("courier");

        ui.send("please send a note to alice");
        WebElement alice = awaitApproval("call-alice");
        assertThat(alice.getText()).contains("courier.send").contains("external").contains("\"to\": \"alice\"")
                .contains("workspace");
        // A message-shaped call is shown readably: recipients, subject, the body's first lines, as the tool's
        // declared approval preview (run in the sandbox first) computed them rather than as the arguments say.
        WebElement shown = alice.findElement(By.cssSelector(".approval .message-preview[data-preview-tool='send_preview']"));
        assertThat(shown.getText()).contains("as the skill would send it").contains("Re: Greetings")
                .contains("Line one\nLine two");
        assertThat(shown.findElement(By.cssSelector(".preview-to")).getText()).isEqualTo("alice@couriers.example");
        assertThat(browser.visible(By.id("pending-count")).getText()).isEqualTo("1");
        browser.screenshot("30-approval-pending");
        alice.findElement(By.cssSelector(".approval button.approve")).click();
        ui.awaitAnswer("courier said: delivered to alice");
        browser.until("the approved card", d -> "ok".equals(ui.toolCard("call-alice").getDomAttribute("data-status")));
        assertThat(ui.toolCard("call-alice").getText()).contains("approved");

        ui.send("now send one to bob");
        WebElement bob = awaitApproval("call-bob");
        bob.findElement(By.cssSelector(".approval button.deny")).click();
        browser.until("the denied answer", d -> ui.texts("assistant").stream().anyMatch(t -> t.startsWith("courier said: the operator denied")));
        browser.until("the denied card", d -> "denied".equals(ui.toolCard("call-bob").getDomAttribute("data-status")));
        assertThat(ui.toolCard("call-bob").findElement(By.cssSelector(".result pre")).getText()).contains("denied")
                .doesNotContain("delivered");
        assertThat(browser.all(By.id("pending-count")).get(0).isDisplayed()).isFalse();
        browser.screenshot("31-approved-and-denied");

        ui.tab("approvals");
        browser.until("both decisions listed", d -> d.findElements(By.cssSelector("#approvals-recent .recent")).size() >= 2);
        String recent = browser.one(By.id("approvals-recent")).getText();
        assertThat(recent).contains("approved").contains("denied").contains("courier.send");
        assertThat(browser.one(By.id("approvals-pending")).getText()).isEmpty();
        browser.screenshot("32-approvals-view");
    }

    private WebElement awaitApproval(String toolCallId) {
        return browser.until("an approval on " + toolCallId, Duration.ofSeconds(30), d -> {
            List<WebElement> cards = d.findElements(By.cssSelector(
                    "#chat-messages .tool[data-tool-call-id='" + toolCallId + "'] .approval[data-state='pending']"));
            return cards.isEmpty() ? null : d.findElement(By.cssSelector("#chat-messages .tool[data-tool-call-id='" + toolCallId + "']"));
        });
    }

    @Test
    void aTamperedPluginIsListedAsRefusedAndAnInstallShowsWhatThePluginMayDoFirst() {
        ui.signIn(gateway.controlUiUrl());
        ui.tab("skills");
        WebElement refused = browser.visible(By.cssSelector("#plugins-refused .refused[data-file='obsidian-copy.jar']"));
        assertThat(refused.getText()).containsIgnoringCase("mismatch");
        WebElement courier = browser.visible(By.cssSelector("#plugins-list [data-plugin-id='courier']"));
        assertThat(courier.getText()).contains("1.0.0").contains("signature trusted").contains("ui-test-publisher")
                .contains("send").contains("external").contains("network");
        assertThat(courier.findElement(By.className("signer")).getText()).containsPattern("key [0-9a-f]{16,}");
        browser.visible(By.cssSelector("#plugins-list [data-plugin-id='obsidian']"));
        browser.screenshot("33-skills-refused");

        // Disable, then enable again, with the switch.
        courier.findElement(By.cssSelector("input.enabled")).click();
        browser.until("courier disabled", d -> d.findElement(By.cssSelector("[data-plugin-id='courier']")).getDomAttribute("class").contains("disabled"));
        browser.one(By.cssSelector("[data-plugin-id='courier'] input.enabled")).click();
        browser.until("courier enabled", d -> !d.findElement(By.cssSelector("[data-plugin-id='courier']")).getDomAttribute("class").contains("disabled"));

        browser.one(By.id("install-source")).sendKeys(greeterJar.toString());
        browser.one(By.id("install-preview-btn")).click();
        WebElement preview = browser.visible(By.cssSelector("#install-preview .preview[data-plugin-id='greeter']"));
        assertThat(preview.getText()).contains("external").contains("network").contains("ui-test-publisher");
        assertThat(browser.all(By.cssSelector("#plugins-list [data-plugin-id='greeter']"))).as("nothing installed before confirming").isEmpty();
        browser.screenshot("34-install-preview");
        browser.one(By.id("install-confirm")).click();
        assertThat(browser.visible(By.id("install-result")).getText()).contains("greeter: installed");
        browser.visible(By.cssSelector("#plugins-list [data-plugin-id='greeter']"));
    }
}

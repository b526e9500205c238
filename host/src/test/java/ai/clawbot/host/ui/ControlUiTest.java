package ai.clawbot.host.ui;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.StreamingModelCaller;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The Control UI in real Chromium against a real gateway (its model an in-process echo, so no Docker): sign-in from
 * the printed URL, the error view for a wrong or missing token, chat keys and Stop, a gateway restart without
 * duplicated messages, sessions, agents, config and logs, and both viewport sizes without sideways scrolling.
 */
@ExtendWith(ChromiumRequired.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ControlUiTest {

    private static final Gateway.Options OPTIONS = Gateway.Options.defaults()
            .models(agent -> new StreamingModelCaller(new EchoModel(), "echo"));

    private static Path state;
    private static Gateway gateway;
    private static int port;
    private static Browser browser;
    private static ControlUi ui;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-ui");
        gateway = startGateway(0);
        port = gateway.port();
        browser = Browser.start();
        ui = new ControlUi(browser);
    }

    private static Gateway startGateway(int onPort) throws Exception {
        return Gateways.start(new GatewayConfig("127.0.0.1", onPort, TestGateway.TOKEN, new StateDir(state)), OPTIONS);
    }

    @AfterEach
    void noPolicyViolations() {
        // The page runs under default-src 'self' without 'unsafe-inline': anything inline would be reported here.
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
            TestGateway.deleteTree(state);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Test
    void signsInFromThePrintedUrlAndKeepsTheTokenForThisTabOnly() {
        URI printed = gateway.controlUiUrl();
        assertThat(printed.toString()).isEqualTo(base() + "#token=" + TestGateway.TOKEN);

        ui.signIn(printed);
        assertThat(browser.driver().getCurrentUrl()).as("the token left the address bar").isEqualTo(base());
        assertThat(browser.js("return sessionStorage.getItem('clawbot.gateway.token')")).isEqualTo(TestGateway.TOKEN);
        assertThat(browser.js("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.one(By.tagName("body")).getText()).doesNotContain(TestGateway.TOKEN);

        // The handshake exactly as the gateway expects it.
        Map<String, Object> connect = browser.sentFrames().stream().filter(f -> "connect".equals(f.get("method")))
                .findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) connect.get("params");
        assertThat(connect.get("type")).isEqualTo("req");
        assertThat(params).containsEntry("minProtocol", 4L).containsEntry("maxProtocol", 4L).containsEntry("role", "operator");
        assertThat(params.get("client")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("id", "clawbot-control-ui").containsEntry("mode", "ui").containsEntry("platform", "web")
                .containsKey("version");
        assertThat(params.get("auth")).isEqualTo(Map.of("token", TestGateway.TOKEN));

        // A reload stays signed in (same tab), still with nothing in the address bar.
        browser.driver().navigate().refresh();
        ui.awaitConnected();
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base());
        browser.screenshot("01-signed-in-chat");
    }

    @Test
    void aWrongOrMissingTokenShowsWhatToDoInsteadOfABlankPage() {
        ui.freshTab(base());
        browser.open(base() + "#token=wrong-token-0123456789abcdef");
        WebElement view = browser.visible(By.id("signin"));
        assertThat(view.getText()).contains("refused this token").contains("./claw gateway").contains("#token=");
        assertThat(browser.one(By.id("signin-error")).getText()).contains("token mismatch");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base());
        assertThat(browser.js("return sessionStorage.getItem('clawbot.gateway.token')")).isNull();
        assertThat(ui.status()).isEqualTo("refused");
        browser.screenshot("02-wrong-token");

        ui.freshTab(base());
        browser.open(base());
        assertThat(browser.visible(By.id("signin")).getText()).contains("Sign in to the gateway").contains("./claw gateway");
        browser.screenshot("03-no-token");

        // Pasting the right token signs in.
        browser.one(By.id("token-input")).sendKeys(TestGateway.TOKEN, Keys.ENTER);
        ui.awaitConnected();
        assertThat(browser.all(By.id("signin"))).isEmpty();
    }

    @Test
    void enterSendsShiftEnterBreaksTheLineAndStopAbortsTheRun() {
        ui.signIn(gateway.controlUiUrl());
        ui.newSession("keys");
        WebElement input = browser.visible(By.id("chat-input"));
        input.sendKeys("line one", Keys.chord(Keys.SHIFT, Keys.ENTER), "line two");
        assertThat(input.getDomProperty("value")).isEqualTo("line one\nline two");
        assertThat(ui.texts("user")).isEmpty();
        input.sendKeys(Keys.ENTER);
        ui.awaitAnswer("echo: line one\nline two");
        assertThat(ui.texts("user")).containsExactly("line one\nline two");
        assertThat(input.getDomProperty("value")).isEmpty();

        ui.send("slow please");
        browser.until("the reply to stream", d -> ui.texts("assistant").stream().anyMatch(t -> t.startsWith("tick tick")));
        WebElement stop = browser.one(By.id("chat-stop"));
        assertThat(stop.isEnabled()).isTrue();
        browser.screenshot("04-streaming");
        stop.click();
        // The stored reply (it has an id) replaces the streamed one, marked as stopped.
        String stopped = browser.until("the stopped reply", d -> d.findElements(By.cssSelector("#chat-messages .msg.assistant.aborted"))
                .stream().filter(e -> !e.getDomAttribute("data-id").isEmpty()).map(WebElement::getText).findFirst().orElse(null));
        assertThat(stopped).contains("stopped");
        String ticks = stopped.substring(stopped.indexOf("tick"));
        assertThat(ticks.split("tick", -1).length - 1).as("stopped before the last piece").isBetween(2, EchoModel.SLOW_TICKS - 1);
        browser.until("Stop to be disabled", d -> !browser.one(By.id("chat-stop")).isEnabled());
    }

    @Test
    void afterAGatewayRestartThePageReconnectsAndShowsEveryMessageOnce() throws Exception {
        ui.signIn(gateway.controlUiUrl());
        ui.newSession("restart");
        ui.send("before restart");
        ui.awaitAnswer("echo: before restart");

        gateway.close();
        browser.until("the page to notice", d -> "waiting".equals(ui.status()) || "connecting".equals(ui.status()));
        browser.until("a reconnect countdown", d -> browser.one(By.id("status")).getText().contains("reconnecting in"));
        ui.send("sent while the gateway was down");
        browser.visible(By.cssSelector("#chat-messages .msg.user.queued"));
        browser.screenshot("05-gateway-down");

        gateway = startGateway(port);
        browser.until("the page to reconnect by itself", Duration.ofSeconds(40), d -> "connected".equals(ui.status()));
        ui.awaitAnswer("echo: sent while the gateway was down");
        // After the reconnect the page reloads the history; once it has settled, each message shows once.
        List<String> users = List.of("before restart", "sent while the gateway was down");
        List<String> answers = List.of("echo: before restart", "echo: sent while the gateway was down");
        browser.until("the reloaded history", d -> ui.texts("user").equals(users) && ui.texts("assistant").equals(answers));
        assertUniqueKeys();
        browser.screenshot("06-reconnected");

        // The gateway stored each message once too, and a fresh page shows the same.
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode h = c.request("chat.history", ProtocolClient.params().put("sessionKey", "agent:default:restart"));
            assertThat(h.at("/payload/messages").findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant");
        }
        browser.driver().navigate().refresh();
        ui.awaitConnected();
        ui.awaitAnswer("echo: sent while the gateway was down");
        assertThat(ui.texts("user")).containsExactly("before restart", "sent while the gateway was down");
    }

    private void assertUniqueKeys() {
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) browser.js(
                "return [...document.querySelectorAll('#chat-messages > [data-key]')].map(e => e.dataset.key)");
        assertThat(keys).doesNotHaveDuplicates().isNotEmpty();
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) browser.js(
                "return [...document.querySelectorAll('#chat-messages .msg[data-id]')].map(e => e.dataset.id).filter(Boolean)");
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void sessionsAreListedOpenedResetAndDeletedWithConfirmation() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            chat(c, "agent:default:alpha", "hello alpha");
            chat(c, "agent:coder:beta", "hello beta");
        }
        ui.signIn(gateway.controlUiUrl());
        ui.tab("sessions");
        WebElement alpha = browser.visible(By.cssSelector("[data-session-key='agent:default:alpha']"));
        assertThat(alpha.getText()).contains("last activity just now");
        assertThat(alpha.findElement(By.tagName("time")).getDomAttribute("title")).isNotBlank();
        browser.visible(By.cssSelector("[data-session-key='agent:coder:beta']"));

        alpha.findElement(By.className("open")).click();
        browser.until("the transcript", d -> browser.one(By.id("session-detail")).getText().contains("echo: hello alpha"));
        browser.screenshot("07-sessions");

        row("agent:default:alpha").findElement(By.className("reset")).click();
        ui.dialog("cancel");
        assertThat(history(("agent:default:alpha"))).hasSize(2);
        row("agent:default:alpha").findElement(By.className("reset")).click();
        ui.dialog("confirm");
        browser.until("the reset transcript", d -> browser.one(By.id("session-detail")).getText().contains("This transcript is empty"));
        assertThat(history("agent:default:alpha")).isEmpty();

        row("agent:coder:beta").findElement(By.className("delete")).click();
        ui.dialog("confirm");
        browser.until("beta to leave the list", d -> d.findElements(By.cssSelector("[data-session-key='agent:coder:beta']")).isEmpty());
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode list = c.request("sessions.list", ProtocolClient.params());
            assertThat(list.at("/payload/sessions").findValuesAsText("key")).contains("agent:default:alpha")
                    .doesNotContain("agent:coder:beta");
        }
    }

    private WebElement row(String key) {
        return browser.visible(By.cssSelector("#sessions-list [data-session-key='" + key + "']"));
    }

    private static JsonNode history(String key) throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            return c.request("chat.history", ProtocolClient.params().put("sessionKey", key)).at("/payload/messages");
        }
    }

    private static void chat(ProtocolClient c, String sessionKey, String message) throws Exception {
        JsonNode ack = c.request("chat.send", ProtocolClient.params().put("sessionKey", sessionKey).put("message", message)
                .put("idempotencyKey", UUID.randomUUID().toString()));
        assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
        String runId = ack.at("/payload/runId").asText();
        c.eventsUntil(e -> runId.equals(e.at("/payload/runId").asText()) && "final".equals(e.at("/payload/state").asText()),
                Duration.ofSeconds(20));
    }

    @Test
    void configShowsProblemsWithTheirPathsAndExplainsAConflict() throws Exception {
        ui.signIn(gateway.controlUiUrl());
        ui.tab("config");
        browser.until("the config", d -> String.valueOf(browser.one(By.id("config-editor")).getDomProperty("value")).startsWith("{"));

        ui.editConfig("{\"gateway\": {\"tickIntervalMs\": 5}}");
        browser.one(By.id("config-save")).click();
        WebElement problem = browser.visible(By.cssSelector("#config-problems .problem[data-path='$.gateway.tickIntervalMs']"));
        assertThat(problem.getText()).contains("$.gateway.tickIntervalMs").contains("1000");
        browser.screenshot("08-config-invalid");

        // Someone else saves meanwhile; this page still holds the old hash.
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            String hash = c.request("config.get", ProtocolClient.params()).at("/payload/hash").asText();
            JsonNode p = c.request("config.patch", ProtocolClient.params().put("baseHash", hash)
                    .set("patch", ProtocolClient.params().set("agents", ProtocolClient.params()
                            .set("defaults", ProtocolClient.params().put("maxIterations", 6)))));
            assertThat(p.path("ok").asBoolean()).as(p.toString()).isTrue();
        }
        ui.editConfig("{\"agents\": {\"defaults\": {\"maxIterations\": 5}}}");
        browser.one(By.id("config-save")).click();
        WebElement conflict = browser.visible(By.id("config-conflict"));
        assertThat(conflict.getText()).contains("changed since you loaded it").contains("Reload");
        browser.screenshot("09-config-conflict");

        browser.one(By.id("config-conflict-reload")).click();
        browser.until("the other change to show", d -> String.valueOf(browser.one(By.id("config-editor")).getDomProperty("value"))
                .contains("\"maxIterations\": 6"));
        ui.editConfig("{\"agents\": {\"defaults\": {\"maxIterations\": 5}}}");
        browser.one(By.id("config-save")).click();
        browser.visible(By.id("config-saved"));
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            assertThat(c.request("config.get", ProtocolClient.params()).at("/payload/config/agents/defaults/maxIterations").asInt())
                    .isEqualTo(5);
        }
    }

    @Test
    void logsTailLiveWithAFilterAndAgentsShowTheirRouteAndPolicy() {
        ui.signIn(gateway.controlUiUrl());
        ui.tab("logs");
        browser.until("log lines", d -> !d.findElements(By.cssSelector("#logs-lines .logline")).isEmpty());
        browser.one(By.id("logs-filter")).sendKeys("gateway ready");
        browser.until("only matching lines", d -> {
            List<WebElement> lines = d.findElements(By.cssSelector("#logs-lines .logline .message"));
            return !lines.isEmpty() && lines.stream().allMatch(l -> l.getText().contains("gateway ready"));
        });
        browser.screenshot("10-logs");

        ui.tab("agents");
        WebElement coder = browser.visible(By.cssSelector("[data-agent-id='coder']"));
        // No provider in this gateway's config: the agents run the offline model (the scripted one is a test hook).
        assertThat(coder.findElement(By.className("model")).getText()).isEqualTo("offline model (no provider configured)");
        assertThat(coder.getText()).contains("Coder").contains("all allowed");
        assertThat(browser.visible(By.cssSelector("[data-agent-id='researcher'] .policy")).getText()).contains("\"workspace\": \"ro\"");
        assertThat(browser.visible(By.cssSelector("[data-agent-id='default']")).getText()).contains("default").contains("all installed");
    }

    @Test
    void everyViewFitsAPhoneAndADesktopWithoutSidewaysScrolling() {
        ui.signIn(gateway.controlUiUrl());
        ui.newSession("wide");
        ui.send("a-long-unbroken-word-" + "x".repeat(300));
        ui.awaitAnswer("echo: a-long-unbroken-word-" + "x".repeat(300));
        int[][] sizes = {{1280, 800}, {390, 844}};
        Map<String, String> ready = Map.of(
                "chat", "#chat-messages .msg",
                "sessions", "#sessions-list .session",
                "agents", "#agents-list .agent",
                "skills", "#plugins-list .plugin",
                "approvals", "#view-approvals .panel",
                "logs", "#logs-lines .logline",
                "config", "#config-editor");
        try {
            for (int[] size : sizes) {
                browser.viewport(size[0], size[1]);
                assertThat(browser.js("return window.innerWidth")).isEqualTo((long) size[0]);
                for (String view : List.of("chat", "sessions", "agents", "skills", "approvals", "logs", "config")) {
                    ui.tab(view);
                    browser.visible(By.cssSelector(ready.get(view)));
                    assertThat(browser.scrollsHorizontally()).as("%s at %dx%d scrolls sideways (scrollWidth %s)", view, size[0],
                            size[1], browser.js("return document.documentElement.scrollWidth")).isFalse();
                    browser.screenshot("11-" + size[0] + "x" + size[1] + "-" + view);
                }
            }
        } finally {
            browser.viewport(1280, 800);
        }
    }
}

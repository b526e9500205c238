package ai.clawbot.host.ui;

import java.net.URI;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The Control UI as a user sees it: its tabs, the chat and its messages. */
final class ControlUi {

    final Browser b;

    ControlUi(Browser b) {
        this.b = b;
    }

    /** Opens the address `claw gateway` prints, in a tab that holds no token yet, and waits until it is connected. */
    ControlUi signIn(URI controlUiUrl) {
        freshTab(controlUiUrl.resolve("/").toString());
        b.open(controlUiUrl.toString());
        return awaitConnected();
    }

    /**
     * Forgets what this tab held for the gateway's origin, and leaves the UI's page: opening it again (even with only
     * a new fragment) then loads it afresh instead of jumping within the same document.
     */
    void freshTab(String base) {
        b.open(base + "healthz");
        b.js("sessionStorage.clear()");
    }

    ControlUi newSession(String name) {
        tab("chat");
        b.visible(By.id("chat-new-session")).click();
        WebElement field = b.visible(By.cssSelector("dialog[open] input"));
        field.sendKeys(name);
        dialog("confirm");
        String key = "agent:default:" + name;
        b.until("session " + key + " selected", d -> key.equals(b.one(By.id("chat-session")).getDomProperty("value")));
        b.until("the session to load", d -> !"Loading…".equals(b.one(By.id("chat-empty")).getText()));
        return this;
    }

    /** Replaces the config editor's text as a paste would (an input event marks it edited). */
    void editConfig(String json) {
        b.js("const e = document.getElementById('config-editor'); e.value = arguments[0];"
                + " e.dispatchEvent(new Event('input', {bubbles: true}));", json);
    }

    ControlUi awaitConnected() {
        b.until("the page to connect", d -> "connected".equals(status()));
        return this;
    }

    String status() {
        return (String) b.js("const s = document.getElementById('status'); return s ? s.dataset.state : null");
    }

    ControlUi tab(String view) {
        b.visible(By.id("tab-" + view)).click();
        b.visible(By.id("view-" + view));
        return this;
    }

    ControlUi session(String key) {
        tab("chat");
        b.until("session " + key + " offered", d -> new Select(b.one(By.id("chat-session"))).getOptions().stream()
                .anyMatch(o -> key.equals(o.getDomAttribute("value"))));
        new Select(b.one(By.id("chat-session"))).selectByValue(key);
        b.until("the session to load", d -> !"Loading…".equals(b.one(By.id("chat-empty")).getText()));
        return this;
    }

    /** Types a message and presses Enter, as a user does. */
    ControlUi send(String text) {
        WebElement input = b.visible(By.id("chat-input"));
        input.clear();
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
        return this;
    }

    /**
     * The texts of the messages of a role, read in one script call: a snapshot of one rendering (element by
     * element, a re-render between two reads left stale references behind).
     */
    @SuppressWarnings("unchecked")
    List<String> texts(String role) {
        return (List<String>) b.js("return [...document.querySelectorAll('#chat-messages .msg." + role + " .text')]"
                + ".map(e => e.innerText)");
    }

    /** Waits until an assistant message (final, not streaming) has exactly this text. */
    void awaitAnswer(String text) {
        b.until("the answer '" + text + "'", d -> b.all(By.cssSelector("#chat-messages .msg.assistant")).stream()
                .anyMatch(m -> !m.getDomAttribute("class").contains("running")
                        && text.equals(m.findElement(By.className("text")).getText())));
    }

    WebElement toolCard(String toolCallId) {
        return b.visible(By.cssSelector("#chat-messages .tool[data-tool-call-id='" + toolCallId + "']"));
    }

    /** Clicks the button of the dialog that is open (confirm or cancel). */
    void dialog(String role) {
        b.visible(By.cssSelector("dialog[open] button[data-role='" + role + "']")).click();
        b.until("the dialog to close", d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
    }
}

package ai.clawbot.host.ui;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The skills view's settings form in Debian's chromium against a real gateway: the bundled web skill's form is built
 * from its settings schema; a valid save lands in openclaw.json through config.patch; an invalid value is refused by
 * the gateway, shown next to its field, and nothing is written.
 */
@ExtendWith(ChromiumRequired.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ControlUiSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path state;
    private static Gateway gateway;
    private static Browser browser;
    private static ControlUi ui;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-ui-settings");
        gateway = Gateways.start(new GatewayConfig("127.0.0.1", 0, TestGateway.TOKEN, new StateDir(state)), Gateway.Options.defaults());
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
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            TestGateway.deleteTree(state);
        }
    }

    private static void type(String id, String text) {
        WebElement e = browser.visible(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private static String status() {
        return browser.one(By.cssSelector("form.settings-form[data-plugin-id='web'] .form-status")).getText();
    }

    @Test
    void aValidSaveLandsInTheConfigAndAnInvalidValueIsShownNextToItsFieldWithNothingWritten() throws Exception {
        ui.signIn(gateway.controlUiUrl()).tab("skills");
        browser.visible(By.cssSelector("form.settings-form[data-plugin-id='web']"));
        browser.visible(By.id("setting-web-sites"));
        assertThat(browser.one(By.cssSelector("[data-plugin-id='web'] .grants-declared")).getText()).contains("sites").contains("search_url");

        type("setting-web-sites", "docs.example.com:443\n*:443");
        type("setting-web-search_url", "https://searx.example.org");
        browser.one(By.cssSelector("form.settings-form[data-plugin-id='web'] .save-settings")).click();
        browser.until("the save to finish", d -> status().equals("Saved."));
        Path file = state.resolve("openclaw.json");
        JsonNode saved = JSON.readTree(file.toFile()).at("/plugins/entries/web/config");
        assertThat(saved.path("sites").toString()).isEqualTo("[\"docs.example.com:443\",\"*:443\"]");
        assertThat(saved.path("search_url").asText()).isEqualTo("https://searx.example.org");
        browser.screenshot("settings-saved");

        byte[] before = Files.readAllBytes(file);
        type("setting-web-search_url", "ftp://files.example.org");
        type("setting-web-sites", "docs.example.com:443\nno port here");
        browser.one(By.cssSelector("form.settings-form[data-plugin-id='web'] .save-settings")).click();
        browser.until("the refusal to be shown", d -> status().startsWith("Not saved"));
        WebElement urlError = browser.visible(By.cssSelector(".field-error[data-path='$.plugins.entries.web.config.search_url']"));
        assertThat(urlError.getText()).isNotBlank();
        WebElement sitesError = browser.visible(By.cssSelector(".field-error[data-path='$.plugins.entries.web.config.sites']"));
        assertThat(sitesError.getText()).isNotBlank();
        assertThat(browser.one(By.id("setting-web-search_url")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(Files.readAllBytes(file)).as("nothing written").isEqualTo(before);
        browser.screenshot("settings-invalid");
    }
}

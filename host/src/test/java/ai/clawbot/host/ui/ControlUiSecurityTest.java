package ai.clawbot.host.ui;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Security panel in real Chromium: it runs {@code security.audit} on a gateway whose config has two known
 * problems and shows them grouped by severity, each with its check id and fix, under the strict CSP.
 */
@ExtendWith(ChromiumRequired.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ControlUiSecurityTest {

    @Test
    void theSecurityPanelShowsFindingsBySeverityWithTheirFix() throws Exception {
        Path state = Files.createTempDirectory("claw-ui-sec");
        Files.writeString(state.resolve("openclaw.json"), """
                {"gateway": {"controlUi": {"allowedOrigins": ["http://192.168.7.7:8080"]},
                             "http": {"endpoints": {"chatCompletions": {"enabled": true}}}}}""");
        Files.setPosixFilePermissions(state.resolve("openclaw.json"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (Gateway gateway = Gateways.start(new GatewayConfig("127.0.0.1", 0, TestGateway.TOKEN, new StateDir(state)));
             Browser browser = Browser.start()) {
            ControlUi ui = new ControlUi(browser).signIn(gateway.controlUiUrl());
            ui.tab("security");
            browser.until("the audit to render", d -> !d.findElements(By.cssSelector("#security-findings .finding")).isEmpty());
            List<WebElement> warns = browser.all(By.cssSelector("#security-warn .finding"));
            assertThat(warns).extracting(e -> e.getDomAttribute("data-check-id")).contains(
                    "gateway.control_ui.allowed_origins_plain_http", "gateway.http.openai_endpoints_enabled", "trust.dev_key_trusted");
            WebElement origins = browser.one(By.cssSelector("#security-warn .finding[data-check-id='gateway.control_ui.allowed_origins_plain_http']"));
            assertThat(origins.findElement(By.cssSelector(".title")).getText()).contains("http://192.168.7.7:8080");
            assertThat(origins.findElement(By.cssSelector(".fix")).getText()).startsWith("fix:").contains("https://192.168.7.7:8080");
            assertThat(browser.all(By.cssSelector("#security-critical .finding"))).isEmpty();
            assertThat(browser.one(By.id("security-summary")).getText()).startsWith("0 critical, 3 warn");
            assertThat(browser.one(By.id("security-summary")).getDomAttribute("data-ok")).isEqualTo("false");

            browser.one(By.id("security-deep")).click();
            browser.one(By.id("security-run")).click();
            browser.until("the deep audit", d -> d.findElement(By.id("security-summary")).getText().contains("(deep)"));
            browser.screenshot("security-panel");
            assertThat(browser.cspViolations()).as("Content-Security-Policy violations").isEmpty();
        } finally {
            TestGateway.deleteTree(state);
        }
    }
}

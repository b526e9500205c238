package ai.clawbot.host.ui;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.registry.Registries;
import ai.clawbot.host.registry.RegistryFolder;
import ai.clawbot.host.registry.RegistryServer;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * The skills view's registry tab in Debian's chromium against a real gateway and a registry served by
 * {@code RegistryServer}: search, details (tools, permissions, network, signer), a preview of the update with the
 * permission diff against the installed version (the widening lines marked), then the update on confirm.
 * Version 1.0.0 is installed first through {@code plugins.install {registry, id, version, confirm}}.
 */
@ExtendWith(ChromiumRequired.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlUiRegistryTest {

    private static final String V1 = """
            id: demo-notes
            version: 1.0.0
            description: Demo notes skill for the registry.
            tools:
              - {name: hello, description: Say hello., effect: read, input: {type: object}}
            sandbox: {image: skill-jre}
            permissions: {workspace: none}
            network: none
            """;
    /** 2.0.0 adds an external tool and a network host: the update's diff must show both. */
    private static final String V2 = """
            id: demo-notes
            version: 2.0.0
            description: Demo notes skill for the registry.
            tools:
              - {name: hello, description: Say hello., effect: read, input: {type: object}}
              - {name: send, description: Send a note away., effect: external, input: {type: object}}
            sandbox: {image: skill-jre}
            permissions: {workspace: none}
            network: {allow: ["api.example.com:443"]}
            """;
    private static final String SOURCE = """
            package demo_notes;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Hello implements Skill {
                public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello")); }
            }
            """;

    private static Path state;
    private static RegistryServer registry;
    private static Gateway gateway;
    private static Browser browser;
    private static ControlUi ui;
    private static String publisherKeyId;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-ui-registry");
        KeyPair publisher = Keys.generate();
        KeyPair registryKey = Keys.generate();
        publisherKeyId = Keys.keyId(publisher.getPublic());
        TrustStore.open(state.resolve("trust")).add(publisher.getPublic(), "publisher");
        Path folder = state.resolve("registry");
        for (String[] v : List.of(new String[] {"1.0.0", V1}, new String[] {"2.0.0", V2})) {
            Path dir = Files.createDirectories(state.resolve("build-" + v[0]));
            Path jar = TestPluginJar.of("demo-notes", v[0], v[1], "demo_notes.Hello", SOURCE).build(dir);
            Files.write(jar.resolveSibling(jar.getFileName() + ".sig"),
                    PluginSigner.sign(Files.readAllBytes(jar), publisher.getPrivate(), publisher.getPublic(), Instant.now()).toBytes());
            RegistryFolder.at(folder).publish(jar, registryKey, Duration.ofDays(7), Instant.now());
        }
        registry = RegistryServer.start(folder, "127.0.0.1", 0);
        Registries.open(state.resolve("trust")).add("local", "http://127.0.0.1:" + registry.port() + "/", List.of(registryKey.getPublic()));
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
            if (registry != null) {
                registry.close();
            }
            TestGateway.deleteTree(state);
        }
    }

    @Test
    void searchDetailsPreviewWithTheDiffAndUpdate() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode first = c.request("plugins.install", ProtocolClient.params().put("registry", "local").put("id", "demo-notes")
                    .put("version", "1.0.0").put("confirm", true));
            assertThat(first.at("/payload/results/0/status").asText()).as(first.toString()).isEqualTo("installed");
            JsonNode preview = c.request("plugins.install", ProtocolClient.params().put("registry", "local").put("id", "demo-notes"));
            assertThat(preview.at("/payload/results/0/status").asText()).as(preview.toString()).isEqualTo("preview");
            assertThat(preview.at("/payload/results/0/diff/widens").asBoolean()).isTrue();
        }

        ui.signIn(gateway.controlUiUrl()).tab("skills");
        browser.visible(By.cssSelector("#registry-select option[value='local']"));
        browser.visible(By.id("registry-query")).sendKeys("notes");
        browser.one(By.id("registry-search")).click();
        browser.visible(By.cssSelector(".registry-result[data-plugin-id='demo-notes']"));
        assertThat(browser.one(By.cssSelector(".registry-result[data-plugin-id='demo-notes']")).getText())
                .contains("2.0.0").contains("installed 1.0.0");

        browser.one(By.cssSelector(".registry-result[data-plugin-id='demo-notes'] .registry-details")).click();
        String info = browser.visible(By.cssSelector(".registry-info[data-plugin-id='demo-notes']")).getText();
        assertThat(info).contains("hello").contains("send").contains("external").contains("api.example.com:443")
                .contains("key " + publisherKeyId).contains("2.0.0, 1.0.0");

        browser.one(By.id("registry-preview")).click();
        browser.visible(By.id("registry-diff"));
        assertThat(browser.all(By.cssSelector("#registry-diff li.widens"))).extracting(e -> e.getText())
                .contains("+ tool send: (none) → external", "+ network: (none) → api.example.com:443");
        assertThat(browser.one(By.cssSelector("#registry-offer pre.summary")).getText()).contains("signed by publisher")
                .contains("WIDENS permissions");
        browser.screenshot("registry-preview");
        assertThat(Files.exists(state.resolve("plugins/demo-notes-2.0.0.jar"))).as("nothing before the confirm").isFalse();

        browser.one(By.id("registry-confirm")).click();
        browser.until("the update to finish", d -> browser.all(By.id("registry-result")).stream()
                .anyMatch(e -> e.getText().equals("demo-notes 2.0.0: installed")));
        assertThat(Files.exists(state.resolve("plugins/demo-notes-2.0.0.jar"))).isTrue();
        assertThat(Files.exists(state.resolve("plugins/demo-notes-1.0.0.jar"))).isFalse();
    }
}

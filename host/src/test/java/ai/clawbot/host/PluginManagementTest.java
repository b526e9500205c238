package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
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
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin management over the gateway protocol, and revocation taking effect at the next start. */
class PluginManagementTest {

    private static final String YAML = """
            id: %s
            version: %s
            description: A test skill.
            tools:
              - name: hello
                description: Say hello.
                effect: read
                input: {type: object}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: none}
            network: none
            """;
    private static final String SOURCE = """
            package %s;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Hello implements Skill {
                public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello")); }
            }
            """;

    @TempDir
    Path tmp;

    private Path signedJar(String id, String version, KeyPair key) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("build-" + id + "-" + version));
        Path jar = TestPluginJar.of(id, version, YAML.formatted(id, version), id + ".Hello", SOURCE.formatted(id)).build(dir);
        Files.write(jar.resolveSibling(jar.getFileName() + ".sig"),
                PluginSigner.sign(Files.readAllBytes(jar), key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        return jar;
    }

    private static JsonNode call(ProtocolClient c, String method, JsonNode params) throws Exception {
        JsonNode res = c.request(method, params);
        assertThat(res.path("ok").asBoolean()).as(method + " " + res).isTrue();
        return res.path("payload");
    }

    @Test
    void installPreviewsFirstThenInstallsDisablesEnablesAndRemovesOverTheProtocol() throws Exception {
        Path state = tmp.resolve("state");
        KeyPair alice = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(alice.getPublic(), "alice");
        Path jar = signedJar("greeter", "1.0.0", alice);
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(gw.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode preview = call(c, "plugins.install", ProtocolClient.params().put("source", jar.toString()));
            assertThat(preview.at("/results/0/status").asText()).isEqualTo("preview");
            assertThat(preview.at("/results/0/summary").asText()).contains("network: none").contains("workspace: none")
                    .contains("signed by alice");
            assertThat(call(c, "skills.list", ProtocolClient.params()).path("skills").findValuesAsText("id")).doesNotContain("greeter");

            JsonNode installed = call(c, "plugins.install", ProtocolClient.params().put("source", jar.toString()).put("confirm", true));
            assertThat(installed.at("/results/0/status").asText()).isEqualTo("installed");
            JsonNode skills = call(c, "skills.list", ProtocolClient.params()).path("skills");
            JsonNode greeter = null;
            for (JsonNode s : skills) {
                if (s.path("id").asText().equals("greeter")) {
                    greeter = s;
                }
            }
            assertThat(greeter).isNotNull();
            assertThat(greeter.at("/signer/name").asText()).isEqualTo("alice");
            assertThat(greeter.at("/signer/keyId").asText()).isEqualTo(Keys.keyId(alice.getPublic()));

            call(c, "plugins.disable", ProtocolClient.params().put("id", "greeter"));
            assertThat(call(c, "skills.list", ProtocolClient.params()).path("skills").findValuesAsText("id")).doesNotContain("greeter");
            JsonNode list = call(c, "plugins.list", ProtocolClient.params());
            assertThat(list.toString()).contains("\"id\":\"greeter\"");
            for (JsonNode p : list.path("plugins")) {
                if (p.path("id").asText().equals("greeter")) {
                    assertThat(p.path("enabled").asBoolean()).isFalse();
                }
            }
            call(c, "plugins.enable", ProtocolClient.params().put("id", "greeter"));
            assertThat(call(c, "skills.list", ProtocolClient.params()).path("skills").findValuesAsText("id")).contains("greeter");

            call(c, "plugins.remove", ProtocolClient.params().put("id", "greeter"));
            assertThat(call(c, "skills.list", ProtocolClient.params()).path("skills").findValuesAsText("id")).doesNotContain("greeter");
            JsonNode missing = c.request("plugins.remove", ProtocolClient.params().put("id", "greeter"));
            assertThat(missing.at("/error/code").asText()).isEqualTo("NOT_FOUND");

            // A tampered jar is refused by plugins.install with its reason, confirmed or not.
            Path tampered = signedJar("mallory", "1.0.0", alice);
            byte[] b = Files.readAllBytes(tampered);
            b[b.length / 3] ^= 0x20;
            Files.write(tampered, b);
            JsonNode refused = call(c, "plugins.install", ProtocolClient.params().put("source", tampered.toString()).put("confirm", true));
            assertThat(refused.at("/results/0/status").asText()).isEqualTo("refused");
            assertThat(refused.at("/results/0/reason").asText()).isEqualTo("JAR_MISMATCH");
            assertThat(call(c, "skills.list", ProtocolClient.params()).path("skills").findValuesAsText("id")).doesNotContain("mallory");
        }
    }

    @Test
    void installsFromAUrlServedLocallyAndRefusesAUrlWithoutSignature() throws Exception {
        Path state = tmp.resolve("state");
        KeyPair alice = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(alice.getPublic(), "alice");
        Path jar = signedJar("fetched", "1.0.0", alice);
        byte[] jarBytes = Files.readAllBytes(jar);
        byte[] sigBytes = Files.readAllBytes(jar.resolveSibling("fetched.jar.sig"));
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            byte[] body = path.equals("/p/fetched.jar") || path.equals("/q/unsigned.jar") ? jarBytes
                    : path.equals("/p/fetched.jar.sig") ? sigBytes : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(gw.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode ok = call(c, "plugins.install", ProtocolClient.params().put("source", base + "/p/fetched.jar").put("confirm", true));
            assertThat(ok.at("/results/0/status").asText()).as(ok.toString()).isEqualTo("installed");
            assertThat(call(c, "skills.list", ProtocolClient.params()).path("skills").findValuesAsText("id")).contains("fetched");
            JsonNode unsigned = call(c, "plugins.install", ProtocolClient.params().put("source", base + "/q/unsigned.jar").put("confirm", true));
            assertThat(unsigned.at("/results/0/reason").asText()).isEqualTo("UNSIGNED");
            JsonNode missing = call(c, "plugins.install", ProtocolClient.params().put("source", base + "/nothing.jar").put("confirm", true));
            assertThat(missing.at("/results/0/status").asText()).isEqualTo("refused");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aClientWithoutTheAdminScopeCannotChangePluginsButCanList() throws Exception {
        Path state = tmp.resolve("state");
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient reader = ProtocolClient.open(gw.webSocketUri())) {
            JsonNode hello = reader.sendConnect(TestGateway.TOKEN, java.util.List.of("operator.read"));
            assertThat(hello.at("/payload/auth/scopes").toString()).isEqualTo("[\"operator.read\"]");
            assertThat(reader.request("plugins.list").path("ok").asBoolean()).isTrue();
            for (String m : new String[] {"plugins.install", "plugins.remove", "plugins.disable", "plugins.enable"}) {
                JsonNode res = reader.request(m, ProtocolClient.params().put("id", "obsidian").put("source", "/x.jar"));
                assertThat(res.at("/error/code").asText()).as(m).isEqualTo("FORBIDDEN");
                assertThat(res.at("/error/details/missingScope").asText()).isEqualTo("operator.admin");
            }
            JsonNode invoke = reader.request("tools.invoke", ProtocolClient.params().put("skill", "obsidian").put("tool", "search"));
            assertThat(invoke.at("/error/details/missingScope").asText()).isEqualTo("operator.write");
            assertThat(gw.catalog().find("obsidian")).isPresent(); // nothing was changed
        }
    }

    @Test
    void revokingAKeyAndRestartingUnloadsEverythingItSignedAndSaysWhyWhileTheRestKeepWorking() throws Exception {
        Path state = tmp.resolve("state");
        KeyPair alice = Keys.generate();
        KeyPair bob = Keys.generate();
        TrustStore trust = TrustStore.open(state.resolve("trust"));
        trust.add(alice.getPublic(), "alice");
        trust.add(bob.getPublic(), "bob");
        Path plugins = Files.createDirectories(state.resolve("plugins"));
        for (var p : new Object[][] {{"alpha", alice}, {"beta", alice}, {"gamma", bob}}) {
            Path jar = signedJar((String) p[0], "1.0.0", (KeyPair) p[1]);
            Files.copy(jar, plugins.resolve(jar.getFileName()));
            Files.copy(jar.resolveSibling(jar.getFileName() + ".sig"), plugins.resolve(jar.getFileName() + ".sig"));
        }
        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE)) {
            assertThat(gw.catalog().skills()).extracting(s -> s.id()).containsExactly("alpha", "beta", "gamma");
        }

        trust.revokeKey(Keys.keyId(alice.getPublic()), "laptop stolen");

        try (Gateway gw = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(gw.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode list = call(c, "skills.list", ProtocolClient.params());
            assertThat(list.path("skills").findValuesAsText("id")).containsExactly("gamma");
            assertThat(list.path("refused").findValuesAsText("file")).containsExactlyInAnyOrder("alpha.jar", "beta.jar");
            for (JsonNode r : list.path("refused")) {
                assertThat(r.path("reason").asText()).isEqualTo("REVOKED_KEY");
                assertThat(r.path("message").asText()).contains("laptop stolen");
            }
            assertThat(call(c, "health", ProtocolClient.params()).path("skills").asInt()).isEqualTo(1);
        }
        assertThat(TrustStore.open(state.resolve("trust")).find(Keys.keyId(alice.getPublic()))).isEmpty();
    }
}

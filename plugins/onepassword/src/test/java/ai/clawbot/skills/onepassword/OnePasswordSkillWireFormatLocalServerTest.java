package ai.clawbot.skills.onepassword;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.onepassword.ConnectClient;
import ai.clawbot.plugin.onepassword.ConnectException;
import ai.clawbot.plugin.onepassword.SecretReference;
import ai.clawbot.testkit.SkillHarness;
import ai.clawbot.testkit.connect.LocalConnectServer;
import ai.clawbot.testkit.connect.LocalConnectServer.Field;
import java.net.ProxySelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The skill's four tools, and the shared Connect client under them, against a local server speaking the 1Password
 * Connect REST API. Every request must carry the token as a bearer header and nowhere else; no answer or refusal
 * may hold the token, and the listing tools never hold a value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnePasswordSkillWireFormatLocalServerTest {

    private static final String TOKEN = "eyJconnect-token-" + Long.toHexString(System.nanoTime());
    private static final String PASSWORD = "hunter2-" + Long.toHexString(System.nanoTime());
    private static final String API_KEY = "sk-openai-" + Long.toHexString(System.nanoTime());
    private static final String OTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private LocalConnectServer connect;
    private String githubId;

    @BeforeAll
    void start() throws Exception {
        connect = LocalConnectServer.start(TOKEN);
        String priv = connect.addVault("Private");
        connect.addVault("Shared Team");
        githubId = connect.addItem(priv, "GitHub", "LOGIN", Map.of("sec1", "Recovery codes"), List.of(
                Field.of("username", "STRING", "ada"), Field.of("password", "CONCEALED", PASSWORD),
                Field.of("one-time password", "OTP", "otpauth://totp/GitHub:ada?secret=" + OTP_SECRET + "&issuer=GitHub"),
                Field.of("code", "CONCEALED", "recovery-1").in("sec1")));
        connect.addItem(priv, "OpenAI", "API_CREDENTIAL", Map.of(), List.of(Field.of("credential", "CONCEALED", API_KEY)));
        connect.addItem(priv, "My Bank Login", "LOGIN", Map.of(), List.of(Field.of("password", "CONCEALED", "bank-pw")));
        connect.addItem(priv, "Twin", "LOGIN", Map.of(), List.of(Field.of("password", "CONCEALED", "a")));
        connect.addItem(priv, "Twin", "LOGIN", Map.of(), List.of(Field.of("password", "CONCEALED", "b")));
    }

    @AfterAll
    void stop() {
        assertThat(connect.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.pathAndQuery()).doesNotContain(TOKEN);
            if (!r.pathAndQuery().equals("/heartbeat")) {
                assertThat(r.authorization()).startsWith("Bearer ");
            }
        });
        connect.close();
    }

    private SkillHarness harness() {
        return SkillHarness.of(new OnePasswordSkill(ProxySelector.of(null)))
                .setting(OnePasswordSkill.URL_SETTING, connect.url()).secret(OnePasswordSkill.TOKEN_SECRET, TOKEN + "\n");
    }

    @Test
    void listVaultsAndItemsGiveNamesNeverValues() {
        try (SkillHarness h = harness()) {
            h.call("list_vaults").ok().textContains("Private (", "Shared Team (");
            var items = h.call("list_items", "vault", "Private").ok()
                    .textContains("GitHub [LOGIN] fields: username, password, one-time password, code", "OpenAI [API_CREDENTIAL]");
            assertThat(items.text() + items.structured()).doesNotContain(PASSWORD).doesNotContain(API_KEY)
                    .doesNotContain(OTP_SECRET).doesNotContain("recovery-1").doesNotContain("bank-pw");
            assertThat(items.structured().at("/items/0/sections").toString() + items.structured()).contains("Recovery codes");
            var filtered = h.call("list_items", "vault", "Private", "query", "git").ok();
            assertThat(filtered.structured().path("items")).hasSize(1);
            assertThat(connect.requests()).anySatisfy(r -> assertThat(r.pathAndQuery()).endsWith("?filter=title co \"git\""));
            h.call("list_items", "vault", "Nope").refused("NOT_FOUND");
        }
    }

    @Test
    void readResolvesNamesSpacesIdsSectionsAndOtp() {
        try (SkillHarness h = harness()) {
            h.call("read", "reference", "op://Private/GitHub/password").ok().textIs(PASSWORD);
            h.call("read", "reference", "op://Private/My Bank Login/password").ok().textIs("bank-pw");
            h.call("read", "reference", "op://Private/" + githubId + "/password").ok().textIs(PASSWORD);
            h.call("read", "reference", "op://Private/GitHub/Recovery codes/code").ok().textIs("recovery-1");
            String otp = h.call("read", "reference", "op://Private/GitHub/one-time password?attribute=otp").ok().text();
            assertThat(otp).matches("[0-9]{6}");
            assertThat(connect.requests()).anySatisfy(r -> assertThat(r.pathAndQuery()).endsWith("?filter=title eq \"My Bank Login\""));

            assertThat(h.call("read", "reference", "op://Private/GitHub/nope").refused("NOT_FOUND").getMessage())
                    .contains("field 'nope'");
            assertThat(h.call("read", "reference", "op://Private/Missing/password").refused("NOT_FOUND").getMessage())
                    .contains("item 'Missing'");
            assertThat(h.call("read", "reference", "op://Private/Twin/password").refused("AMBIGUOUS").getMessage()).contains("by its id");
            h.call("read", "reference", "op://Private/GitHub/password?attribute=otp").refused("BAD_REFERENCE");
            h.call("read", "reference", "op://Private/GitHub").refused("BAD_REFERENCE");
        }
    }

    @Test
    void theSharedClientComputesTheOtpFromTheFieldsSecret() throws Exception {
        ConnectClient c = ConnectClient.create(connect.url(), TOKEN, null, Duration.ofSeconds(5),
                java.time.Clock.fixed(Instant.ofEpochSecond(59), java.time.ZoneOffset.UTC));
        assertThat(c.resolve(SecretReference.parse("op://Private/GitHub/one-time password?attribute=otp"))).isEqualTo("287082");
        assertThat(c.resolve(SecretReference.parse("op://Private/OpenAI/credential"))).isEqualTo(API_KEY);
    }

    @Test
    void injectWritesA0600FileAndReturnsCountsOnly() throws Exception {
        try (SkillHarness h = harness()) {
            h.write("app.tpl", "user={{ op://Private/GitHub/username }}\npass={{op://Private/GitHub/password}}\n"
                    + "again={{ op://Private/GitHub/password }}\n");
            var r = h.call("inject", "template", "app.tpl", "output", "out/app.env").ok()
                    .textContains("filled 3 placeholders (2 distinct references)");
            assertThat(r.text() + r.structured()).doesNotContain(PASSWORD).doesNotContain("ada");
            Path out = h.workspace().resolve("out/app.env");
            assertThat(Files.readString(out)).isEqualTo("user=ada\npass=" + PASSWORD + "\nagain=" + PASSWORD + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");

            h.call("inject", "template", "app.tpl", "output", "out/app.env").refused("EXISTS");
            h.write("bad.tpl", "a={{ op://Private/GitHub/password }}\nb={{ op://Private/Missing/x }}\n");
            h.call("inject", "template", "bad.tpl", "output", "bad.env").refused("NOT_FOUND");
            assertThat(h.workspace().resolve("bad.env")).doesNotExist();
            h.call("inject", "template", "../etc/passwd", "output", "x.env").refused("OUTSIDE_WORKSPACE");
            h.call("inject", "template", "app.tpl", "output", "../x.env").refused("OUTSIDE_WORKSPACE");
        }
    }

    @Test
    void wrongTokenAndConnectDownAreClearAndNeverEchoTheToken() throws Exception {
        try (SkillHarness h = SkillHarness.of(new OnePasswordSkill(ProxySelector.of(null)))
                .setting(OnePasswordSkill.URL_SETTING, connect.url()).secret(OnePasswordSkill.TOKEN_SECRET, "wrong-" + TOKEN)) {
            var e = h.call("read", "reference", "op://Private/GitHub/password").refused("UNAUTHORIZED");
            assertThat(e.getMessage()).contains("refused the token").doesNotContain(TOKEN);
        }
        int deadPort;
        try (var s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (SkillHarness h = SkillHarness.of(new OnePasswordSkill(ProxySelector.of(null)))
                .setting(OnePasswordSkill.URL_SETTING, "http://127.0.0.1:" + deadPort).secret(OnePasswordSkill.TOKEN_SECRET, TOKEN)) {
            var e = h.call("list_vaults").refused("UNREACHABLE");
            assertThat(e.getMessage()).contains("cannot reach").doesNotContain(TOKEN);
        }
        try (SkillHarness h = SkillHarness.of(new OnePasswordSkill(ProxySelector.of(null)))) {
            h.call("list_vaults").refused("NOT_CONFIGURED");
        }
        ConnectException e = org.junit.jupiter.api.Assertions.assertThrows(ConnectException.class, () -> ConnectClient
                .create(connect.url(), "bad", null, Duration.ofSeconds(5)).resolve(SecretReference.parse("op://Private/GitHub/password")));
        assertThat(e.code()).isEqualTo(ConnectException.Code.UNAUTHORIZED);
    }
}

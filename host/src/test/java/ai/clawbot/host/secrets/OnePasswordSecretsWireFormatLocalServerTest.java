package ai.clawbot.host.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.cli.SecretsCommand;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.testkit.connect.LocalConnectServer;
import ai.clawbot.testkit.connect.LocalConnectServer.Field;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The host's {@code op://} resolver against a local server speaking the 1Password Connect REST API: resolution,
 * the in-memory cache and its expiry, failures (wrong token, Connect down, item missing) that name the reference
 * and cause and are never cached, the vault view skills get, operator pre-approval of one reference, and
 * {@code claw secrets list|check}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnePasswordSecretsWireFormatLocalServerTest {

    private static final String TOKEN = "connect-token-" + Long.toHexString(System.nanoTime());
    private static final String API_KEY = "sk-resolved-" + Long.toHexString(System.nanoTime());
    private static final String REF = "op://Private/OpenAI/credential";
    private LocalConnectServer connect;

    @TempDir
    Path dir;

    @BeforeAll
    void start() throws Exception {
        connect = LocalConnectServer.start(TOKEN);
        String v = connect.addVault("Private");
        connect.addItem(v, "OpenAI", "API_CREDENTIAL", Map.of(), List.of(Field.of("credential", "CONCEALED", API_KEY)));
    }

    @AfterAll
    void stop() {
        connect.close();
    }

    private static final class Tick extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static SecretsProvider token(AtomicReference<String> t) {
        return names -> Map.of(OnePasswordSecrets.TOKEN_SECRET, t.get().getBytes(StandardCharsets.UTF_8));
    }

    private long hits() {
        return connect.requests().size();
    }

    @Test
    void resolvesCachesInMemoryForTheConfiguredTimeAndNeverCachesAFailure() throws Exception {
        Tick clock = new Tick();
        AtomicReference<String> tok = new AtomicReference<>(TOKEN);
        AtomicReference<Optional<OnePasswordSecrets.Connection>> conn = new AtomicReference<>(
                Optional.of(new OnePasswordSecrets.Connection(connect.url(), Duration.ofSeconds(30))));
        OnePasswordSecrets r = OnePasswordSecrets.create(conn::get, token(tok), clock);

        assertThat(r.resolve("plain-key", "x")).isEqualTo("plain-key");
        assertThat(r.resolve(REF, "models.providers.openai.apiKey")).isEqualTo(API_KEY);
        long after = hits();
        assertThat(r.resolve(REF, "models.providers.openai.apiKey")).isEqualTo(API_KEY);
        assertThat(hits()).as("served from memory").isEqualTo(after);
        clock.now = clock.now.plusSeconds(31);
        assertThat(r.resolve(REF, "w")).isEqualTo(API_KEY);
        assertThat(hits()).as("expired, asked again").isGreaterThan(after);

        // Wrong token: a clear, typed error naming where and the reference, never the token; nothing cached.
        r.forget();
        tok.set("wrong-" + TOKEN);
        assertThatThrownBy(() -> r.resolve(REF, "models.providers.openai.apiKey")).isInstanceOf(SecretsException.class)
                .satisfies(e -> assertThat(((SecretsException) e).kind()).isEqualTo(SecretsException.Kind.REFERENCE))
                .hasMessageContaining("models.providers.openai.apiKey").hasMessageContaining(REF)
                .hasMessageContaining("refused the token").hasMessageNotContaining(TOKEN).hasMessageNotContaining(API_KEY);
        assertThat(r.cached()).isZero();

        // Item missing.
        tok.set(TOKEN);
        assertThatThrownBy(() -> r.resolve("op://Private/Anthropic/credential", "k")).hasMessageContaining("no item 'Anthropic'")
                .hasMessageContaining("NOT_FOUND");
        assertThat(r.cached()).isZero();

        // Connect down.
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        conn.set(Optional.of(new OnePasswordSecrets.Connection("http://127.0.0.1:" + dead, Duration.ofSeconds(30))));
        assertThatThrownBy(() -> r.resolve(REF, "k")).hasMessageContaining("cannot reach").hasMessageContaining("UNREACHABLE")
                .hasMessageNotContaining(TOKEN);
        assertThat(r.cached()).isZero();

        // Not configured, malformed.
        conn.set(Optional.empty());
        assertThatThrownBy(() -> r.resolve(REF, "k")).hasMessageContaining(OnePasswordSecrets.URL_PATH);
        assertThatThrownBy(() -> r.resolve("op://Private/OpenAI", "k")).hasMessageContaining("has 2 parts");
        assertThatThrownBy(() -> SecretResolver.literalOnly().resolve(REF, "models.providers.x.apiKey"))
                .hasMessageContaining("no Connect server is configured");

        // cache_seconds 0: asked every time.
        conn.set(Optional.of(new OnePasswordSecrets.Connection(connect.url(), Duration.ZERO)));
        r.resolve(REF, "k");
        assertThat(r.cached()).isZero();
    }

    @Test
    void aVaultSecretStoredAsAReferenceReachesTheSkillResolved() throws Exception {
        AtomicReference<String> tok = new AtomicReference<>(TOKEN);
        OnePasswordSecrets r = OnePasswordSecrets.create(() -> Optional.of(new OnePasswordSecrets.Connection(connect.url(),
                Duration.ofSeconds(60))), token(tok), Clock.systemUTC());
        SecretsProvider stored = names -> Map.of("OPENAI_API_KEY", REF.getBytes(StandardCharsets.UTF_8),
                "PLAIN", "p".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> seen = new ReferenceResolvingVault(stored, r).resolve(List.of("OPENAI_API_KEY", "PLAIN"));
        assertThat(new String(seen.get("OPENAI_API_KEY"), StandardCharsets.UTF_8)).isEqualTo(API_KEY);
        assertThat(new String(seen.get("PLAIN"), StandardCharsets.UTF_8)).isEqualTo("p");
    }

    @Test
    void anOperatorPreApprovesOneReferenceForReadAndNothingElse() throws Exception {
        ObjectMapper json = new ObjectMapper();
        PreApprovals pre = PreApprovals.fromJson(json.readTree("{\"references\": [\"op://Private/GitHub/password\"]}"));
        assertThat(pre.covers("onepassword", "read", json.readTree("{\"reference\": \"op://Private/GitHub/password\"}"))).isTrue();
        assertThat(pre.covers("onepassword", "read", json.readTree("{\"reference\": \" op://Private/GitHub/password \"}"))).isTrue();
        assertThat(pre.covers("onepassword", "read", json.readTree("{\"reference\": \"op://Private/GitHub/username\"}"))).isFalse();
        assertThat(pre.covers("onepassword", "inject", json.readTree("{\"reference\": \"op://Private/GitHub/password\"}"))).isFalse();
        assertThat(pre.covers("web", "fetch", json.readTree("{\"reference\": \"op://Private/GitHub/password\"}"))).isFalse();
        assertThat(pre.covers("onepassword", "read")).isFalse();
        assertThatThrownBy(() -> PreApprovals.fromJson(json.readTree("{\"references\": [\"op://Private\"]}")))
                .hasMessageStartingWith("approvals.references: ");
    }

    @Test
    void clawSecretsListsReferencesAndChecksThemWithoutPrintingValues() throws Exception {
        Path state = dir.resolve("state");
        Map<String, String> env = Map.of("OPENCLAW_STATE_DIR", state.toString());
        FileVault vault = FileVault.open(new StateDir(state), env);
        vault.set(OnePasswordSecrets.TOKEN_SECRET, TOKEN.getBytes(StandardCharsets.UTF_8));
        vault.set("GITHUB_TOKEN", REF.getBytes(StandardCharsets.UTF_8));
        vault.set("PLAIN", "plain-value".getBytes(StandardCharsets.UTF_8));
        Files.writeString(state.resolve("openclaw.json"), """
                {"models": {"providers": {"openai": {"api": "openai", "apiKey": "%s", "models": ["gpt-x"]},
                                          "broken": {"api": "openai", "apiKey": "op://Private/Missing/credential", "models": ["y"]}}},
                 "plugins": {"entries": {"onepassword": {"config": {"connect_url": "%s"}}}}}
                """.formatted(REF, connect.url()));

        Run list = run(env, "list");
        assertThat(list.code).as(list.err).isZero();
        assertThat(list.out).contains("GITHUB_TOKEN  -> " + REF, "PLAIN\n", "openclaw.json models.providers.openai.apiKey  -> " + REF,
                "models.providers.broken.apiKey  -> op://Private/Missing/credential").doesNotContain("plain-value").doesNotContain(TOKEN);

        Run check = run(env, "check");
        assertThat(check.code).isEqualTo(1);
        assertThat(check.out).contains("ok    vault secret GITHUB_TOKEN", "ok    models.providers.openai.apiKey",
                "FAIL  models.providers.broken.apiKey: 'op://Private/Missing/credential' cannot be resolved: no item 'Missing'",
                "2 of 3 references resolve");
        assertThat(check.out + check.err).doesNotContain(API_KEY).doesNotContain(TOKEN);
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("%s", f).doesNotContain(API_KEY);
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new SecretsCommand(env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        int code = cl.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

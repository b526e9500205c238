package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad jars in the plugins folder are refused at load, each with a clear log line and a reason in
 * {@code skills.list}, and nothing of them is loaded; the good plugin still loads.
 */
class PluginVerificationAtLoadTest {

    @TempDir
    Path state;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("ai.clawbot.host.skills.VerifyingPluginManager");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void unsignedTamperedAndUntrustedJarsAreRefusedAndTheGoodPluginLoads() throws Exception {
        Path plugins = state.resolve("plugins");
        TestGateway.copyBundled("trust/dev-publisher.pem", state.resolve("trust/keys/dev-publisher.pem"));
        TestGateway.copyBundled("plugins/obsidian.jar", plugins.resolve("obsidian.jar"));
        TestGateway.copyBundled("plugins/obsidian.jar.sig", plugins.resolve("obsidian.jar.sig"));
        byte[] good = Files.readAllBytes(plugins.resolve("obsidian.jar"));

        // An unsigned copy.
        Files.write(plugins.resolve("unsigned.jar"), good);
        // One byte changed, with the original signature beside it.
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x01;
        Files.write(plugins.resolve("tampered.jar"), flipped);
        Files.copy(plugins.resolve("obsidian.jar.sig"), plugins.resolve("tampered.jar.sig"));
        // Validly signed, but by a key nobody trusts.
        KeyPair stranger = Keys.generate();
        Files.write(plugins.resolve("stranger.jar"), good);
        Files.write(plugins.resolve("stranger.jar.sig"),
                PluginSigner.sign(good, stranger.getPrivate(), stranger.getPublic(), Instant.now()).toBytes());
        // Garbage where a signature should be.
        Files.write(plugins.resolve("garbage.jar"), good);
        Files.writeString(plugins.resolve("garbage.jar.sig"), "not a signature");

        try (Gateway gateway = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode list = client.request("skills.list").path("payload");
            assertThat(list.path("skills").findValuesAsText("id")).containsExactly("obsidian");
            assertThat(list.at("/skills/0/jarSha256").asText()).isEqualTo(ai.clawbot.signing.Sha256.hex(good));

            JsonNode refused = list.path("refused");
            assertThat(refused.findValuesAsText("file"))
                    .containsExactlyInAnyOrder("garbage.jar", "stranger.jar", "tampered.jar", "unsigned.jar");
            assertThat(reason(refused, "unsigned.jar")).isEqualTo("UNSIGNED");
            assertThat(reason(refused, "tampered.jar")).isEqualTo("JAR_MISMATCH");
            assertThat(reason(refused, "stranger.jar")).isEqualTo("UNTRUSTED_KEY");
            assertThat(reason(refused, "garbage.jar")).isEqualTo("MALFORMED_SIGNATURE");

            assertThat(log).anyMatch(l -> l.startsWith("WARNING Refused plugin unsigned.jar: UNSIGNED"));
            assertThat(log).anyMatch(l -> l.startsWith("WARNING Refused plugin tampered.jar: JAR_MISMATCH")
                    && l.contains("changed after signing"));
            assertThat(log).anyMatch(l -> l.startsWith("WARNING Refused plugin stranger.jar: UNTRUSTED_KEY"));
            assertThat(log).filteredOn(l -> l.startsWith("INFO Loaded plugin")).hasSize(1);

            // Only the verified bytes were staged for loading; nothing of the refused jars.
            try (var staged = Files.list(state.resolve("sandboxes/verified-plugins"))) {
                assertThat(staged.map(p -> p.getFileName().toString()))
                        .containsExactly(ai.clawbot.signing.Sha256.hex(good) + ".jar");
            }
        }
    }

    @Test
    void aJarSwappedAfterVerificationIsNotWhatGetsLoaded() throws Exception {
        Path plugins = state.resolve("plugins");
        TestGateway.copyBundled("trust/dev-publisher.pem", state.resolve("trust/keys/dev-publisher.pem"));
        TestGateway.copyBundled("plugins/obsidian.jar", plugins.resolve("obsidian.jar"));
        TestGateway.copyBundled("plugins/obsidian.jar.sig", plugins.resolve("obsidian.jar.sig"));
        byte[] good = Files.readAllBytes(plugins.resolve("obsidian.jar"));
        try (Gateway gateway = TestGateway.start(state, SandboxObserver.NONE)) {
            var skill = gateway.catalog().find("obsidian").orElseThrow();
            // Replace the file in the plugins folder after load: the sandbox mounts the staged copy.
            Files.write(plugins.resolve("obsidian.jar"), new byte[] {1, 2, 3});
            assertThat(skill.verifiedJar()).isNotEqualTo(plugins.resolve("obsidian.jar"));
            assertThat(Files.readAllBytes(skill.verifiedJar())).isEqualTo(good);
            assertThat(Files.isWritable(skill.verifiedJar()) && !isRoot()).isFalse();
        }
    }

    private static boolean isRoot() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }

    private static String reason(JsonNode refused, String file) {
        for (JsonNode r : refused) {
            if (r.path("file").asText().equals(file)) {
                return r.path("reason").asText();
            }
        }
        return null;
    }
}

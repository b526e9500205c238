package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryIndexesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path tmp;
    private KeyPair publisher;
    private KeyPair registry;
    private TrustStore trust;
    private Path repo;

    @BeforeEach
    void setUp() throws Exception {
        publisher = Keys.generate();
        registry = Keys.generate();
        trust = TrustStore.open(tmp.resolve("trust"));
        trust.add(registry.getPublic(), "registry");
        repo = Files.createDirectories(tmp.resolve("repo"));
        signedJar("alpha", "1.0.0");
        signedJar("beta", "2.1.0");
    }

    private void signedJar(String id, String version) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Plugin-Id", id);
        mf.getMainAttributes().putValue("Plugin-Version", version);
        Path jar = repo.resolve(id + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("META-INF/clawbot/skill.yaml"));
            out.write(("id: " + id + "\nversion: " + version + "\ndescription: the " + id + " skill\ntools:\n  - {name: go, description: Go., effect: external, input: {type: object}}\n"
                    + "sandbox: {image: clawbot/skill-jre:17}\npermissions: {workspace: ro, secrets: [TOKEN]}\nnetwork: {allow: [\"api.example.com:443\"]}\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.write(repo.resolve(id + ".jar.sig"),
                PluginSigner.sign(Files.readAllBytes(jar), publisher.getPrivate(), publisher.getPublic(), NOW).toBytes());
    }

    private byte[][] index(long serial, Instant at) throws Exception {
        byte[] bytes = RegistryIndexes.toBytes(RegistryIndexes.build(repo, serial, at, Duration.ofDays(7)));
        return new byte[][] {bytes, RegistryIndexes.sign(bytes, registry.getPrivate(), registry.getPublic())};
    }

    private static String reason(RegistryIndexes.Checked c) {
        return c instanceof RegistryIndexes.Checked.Rejected r ? r.reason() : "ACCEPTED";
    }

    @Test
    void aSignedIndexListsEveryPluginWithItsHashSignatureAndKey() throws Exception {
        byte[][] idx = index(1, NOW);
        RegistryIndexes.Checked c = RegistryIndexes.verify(idx[0], idx[1], trust, NOW);
        assertThat(c).isInstanceOf(RegistryIndexes.Checked.Accepted.class);
        RegistryIndex index = ((RegistryIndexes.Checked.Accepted) c).index();
        assertThat(index.plugins()).extracting(RegistryIndex.Entry::id).containsExactly("alpha", "beta");
        RegistryIndex.Entry alpha = index.plugins().get(0);
        assertThat(alpha.version()).isEqualTo("1.0.0");
        assertThat(alpha.jarSha256()).isEqualTo(Sha256.hex(Files.readAllBytes(repo.resolve("alpha.jar"))));
        assertThat(alpha.keyId()).isEqualTo(Keys.keyId(publisher.getPublic()));
        assertThat(alpha.path()).isEqualTo("alpha.jar");
        // What a reviewer needs, without downloading the jar.
        assertThat(alpha.description()).isEqualTo("the alpha skill");
        assertThat(alpha.image()).isEqualTo("clawbot/skill-jre:17");
        assertThat(alpha.tools()).containsExactly(new RegistryIndex.Tool("go", "external", "Go."));
        assertThat(alpha.permissions()).isEqualTo(new RegistryIndex.Access("ro", java.util.List.of("TOKEN")));
        assertThat(alpha.network().allow()).containsExactly("api.example.com:443");
        assertThat(alpha.manifestSha256()).hasSize(64);
        assertThat(java.util.Base64.getDecoder().decode(alpha.signature())).isEqualTo(Files.readAllBytes(repo.resolve("alpha.jar.sig")));
        // The same index again is fine (a re-fetch), not a replay.
        assertThat(reason(RegistryIndexes.verify(idx[0], idx[1], trust, NOW))).isEqualTo("ACCEPTED");
    }

    @Test
    void unsignedUntrustedTamperedRevokedRolledBackAndExpiredIndexesAreRefused() throws Exception {
        byte[][] v1 = index(1, NOW);
        assertThat(reason(RegistryIndexes.verify(v1[0], null, trust, NOW))).isEqualTo("UNSIGNED");
        assertThat(reason(RegistryIndexes.verify(v1[0], "{}".getBytes(), trust, NOW))).isEqualTo("MALFORMED_SIGNATURE");

        KeyPair stranger = Keys.generate();
        byte[] strangerSig = RegistryIndexes.sign(v1[0], stranger.getPrivate(), stranger.getPublic());
        assertThat(reason(RegistryIndexes.verify(v1[0], strangerSig, trust, NOW))).isEqualTo("UNTRUSTED_KEY");

        byte[] tampered = new String(v1[0], StandardCharsets.UTF_8).replace("\"alpha\"", "\"alpho\"").getBytes(StandardCharsets.UTF_8);
        assertThat(reason(RegistryIndexes.verify(tampered, v1[1], trust, NOW))).isEqualTo("BAD_SIGNATURE");

        assertThat(reason(RegistryIndexes.verify(v1[0], v1[1], trust, NOW.plus(Duration.ofDays(8))))).isEqualTo("EXPIRED");

        byte[][] v2 = index(2, NOW.plusSeconds(60));
        assertThat(reason(RegistryIndexes.verify(v2[0], v2[1], trust, NOW.plusSeconds(61)))).isEqualTo("ACCEPTED");
        assertThat(reason(RegistryIndexes.verify(v1[0], v1[1], trust, NOW.plusSeconds(62)))).as("rollback to serial 1").isEqualTo("ROLLBACK");
        byte[][] v2b = index(2, NOW.plusSeconds(120));
        assertThat(reason(RegistryIndexes.verify(v2b[0], v2b[1], trust, NOW.plusSeconds(121)))).as("serial 2 with other content").isEqualTo("ROLLBACK");

        trust.revokeKey(Keys.keyId(registry.getPublic()), "compromised");
        byte[][] v3 = index(3, NOW.plusSeconds(180));
        assertThat(reason(RegistryIndexes.verify(v3[0], v3[1], trust, NOW.plusSeconds(181)))).isEqualTo("REVOKED_KEY");
    }

    @Test
    void anUnsignedJarCannotBeIndexed() throws Exception {
        Files.delete(repo.resolve("beta.jar.sig"));
        assertThatThrownBy(() -> RegistryIndexes.build(repo, 1, NOW, Duration.ofDays(1)))
                .hasMessageContaining("beta.jar has no signature");
    }
}

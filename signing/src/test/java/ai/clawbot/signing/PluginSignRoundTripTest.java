package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.signing.Verification.Reason;
import ai.clawbot.signing.Verification.Rejected;
import ai.clawbot.signing.Verification.Verified;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginSignRoundTripTest {

    private static final Instant SIGNED_AT = Instant.parse("2025-01-02T03:04:05Z");

    @TempDir
    Path tmp;

    private KeyPair publisher;
    private PluginVerifier verifier;
    private byte[] jar;

    @BeforeEach
    void setUp() throws Exception {
        publisher = Keys.generate();
        TrustStore trust = TrustStore.open(tmp.resolve("trust"));
        trust.add(publisher.getPublic(), "acme");
        verifier = PluginVerifier.create(trust);
        jar = PluginJars.writeTo(tmp, "notes.jar", PluginJars.pluginJar("notes", "1.2.3", PluginJars.SKILL_YAML));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void signedJarVerifiesWithItsFactsStatementAndSigner() throws Exception {
        PluginSignature sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT);
        byte[] sigFile = PluginJars.writeTo(tmp, "notes.jar" + PluginSignature.SUFFIX, sig.toBytes());

        Verification v = verifier.verify(jar, sigFile);

        assertThat(v).isInstanceOf(Verified.class);
        Verified ok = (Verified) v;
        byte[] skillYaml = PluginJars.SKILL_YAML.getBytes(StandardCharsets.UTF_8);
        assertThat(ok.facts().pluginId()).isEqualTo("notes");
        assertThat(ok.facts().version()).isEqualTo("1.2.3");
        assertThat(ok.facts().jarSha256()).isEqualTo(sha256(jar));
        assertThat(ok.facts().manifestSha256()).isEqualTo(sha256(skillYaml));
        assertThat(ok.facts().image()).isEqualTo("clawbot/skill-jre:17");
        assertThat(ok.facts().manifestBytes()).isEqualTo(skillYaml);

        String keyId = Keys.keyId(publisher.getPublic());
        assertThat(ok.statement()).isEqualTo(new SignatureStatement("notes", "1.2.3", sha256(jar), sha256(skillYaml),
                "clawbot/skill-jre:17", "2025-01-02T03:04:05Z", keyId));
        assertThat(ok.signer().name()).isEqualTo("acme");
        assertThat(ok.signer().keyId()).isEqualTo(keyId);
        assertThat(ok.signer().key()).isEqualTo(publisher.getPublic());
    }

    @Test
    void signatureFileIsVersionedJsonThatParsesBackToTheSameBytes() throws Exception {
        PluginSignature sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT);

        JsonNode file = new ObjectMapper().readTree(sig.toBytes());
        PluginSignature back = PluginSignature.parse(sig.toBytes());

        assertThat(file.path("format").asText()).isEqualTo("clawbot-plugin-signature/1");
        assertThat(file.has("statement")).isTrue();
        assertThat(file.has("signature")).isTrue();
        assertThat(back.statementBytes()).isEqualTo(sig.statementBytes());
        assertThat(back.signature()).isEqualTo(sig.signature()).hasSize(64);
        assertThat(new String(back.signedMessage(), StandardCharsets.UTF_8))
                .isEqualTo("clawbot-plugin-signature/1\n" + new String(sig.statementBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void signatureFileOfExactly16KiBIsStillAccepted() throws Exception {
        byte[] sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT).toBytes();
        byte[] padded = pad(sig, PluginSignature.MAX_BYTES);

        assertThat(padded).hasSize(16 * 1024);
        assertThat(verifier.verify(jar, padded)).isInstanceOf(Verified.class);
    }

    @Test
    void signatureFileOneByteOver16KiBIsMalformedBeforeParsing() throws Exception {
        byte[] sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT).toBytes();
        byte[] padded = pad(sig, PluginSignature.MAX_BYTES + 1);

        Verification v = verifier.verify(jar, padded);

        assertThat(v).isInstanceOf(Rejected.class);
        assertThat(((Rejected) v).reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
        assertThat(((Rejected) v).message()).contains("16385 bytes, over the 16384 limit");
    }

    @Test
    void keyRemovedFromTheTrustFolderIsNoLongerTrustedAtTheNextVerify() throws Exception {
        byte[] sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT).toBytes();
        assertThat(verifier.verify(jar, sig)).isInstanceOf(Verified.class);

        Files.delete(tmp.resolve("trust").resolve("keys").resolve("acme.pem"));

        Verification v = verifier.verify(jar, sig);
        assertThat(v).isInstanceOf(Rejected.class);
        assertThat(((Rejected) v).reason()).isEqualTo(Reason.UNTRUSTED_KEY);
    }

    @Test
    void sameJarSignedTwiceAtDifferentTimesGivesDifferentStatementsThatBothVerify() throws Exception {
        PluginSignature a = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT);
        PluginSignature b = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), SIGNED_AT.plusSeconds(1));

        assertThat(a.statementBytes()).isNotEqualTo(b.statementBytes());
        assertThat(a.statement().signedAt()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(b.statement().signedAt()).isEqualTo("2025-01-02T03:04:06Z");
        assertThat(verifier.verify(jar, a.toBytes())).isInstanceOf(Verified.class);
        assertThat(verifier.verify(jar, b.toBytes())).isInstanceOf(Verified.class);
    }

    /** Trailing JSON whitespace up to {@code size} bytes: still the same, valid signature file. */
    private static byte[] pad(byte[] sig, int size) {
        byte[] out = Arrays.copyOf(sig, size);
        Arrays.fill(out, sig.length, size, (byte) ' ');
        return out;
    }
}

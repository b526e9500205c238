package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.signing.Verification.Reason;
import ai.clawbot.signing.Verification.Rejected;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginVerifierRejectionTest {

    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    @TempDir
    Path tmp;

    private KeyPair publisher;
    private PluginVerifier verifier;
    private byte[] jar;
    private PluginSignature sig;

    @BeforeEach
    void setUp() throws Exception {
        publisher = Keys.generate();
        TrustStore trust = TrustStore.open(tmp.resolve("trust"));
        trust.add(publisher.getPublic(), "acme");
        verifier = PluginVerifier.create(trust);
        jar = PluginJars.writeTo(tmp, "notes.jar", PluginJars.pluginJar("notes", "1.2.3", PluginJars.SKILL_YAML));
        sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), NOW);
    }

    private Rejected rejected(byte[] jarBytes, byte[] sigBytes) throws IOException {
        Verification v = verifier.verify(jarBytes, sigBytes);
        assertThat(v).isInstanceOf(Rejected.class);
        return (Rejected) v;
    }

    /** A statement that pins {@link #jar} correctly, signed by the trusted publisher. */
    private SignatureStatement honestStatement() throws IOException {
        return sig.statement();
    }

    @Test
    void missingSignatureIsUnsigned() throws Exception {
        Rejected r = rejected(jar, null);
        assertThat(r.reason()).isEqualTo(Reason.UNSIGNED);
        assertThat(r.message()).contains(".sig");
    }

    @Test
    void signatureByAKeyOutsideTheTrustStoreIsUntrusted() throws Exception {
        KeyPair stranger = Keys.generate();
        byte[] strangerSig = PluginSigner.sign(jar, stranger.getPrivate(), stranger.getPublic(), NOW).toBytes();

        Rejected r = rejected(jar, strangerSig);

        assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY);
        assertThat(r.message()).contains(Keys.keyId(stranger.getPublic()));
    }

    @Test
    void statementWithoutKeyIdIsUntrusted() throws Exception {
        SignatureStatement s = honestStatement();
        SignatureStatement noKey = new SignatureStatement(s.pluginId(), s.version(), s.jarSha256(), s.manifestSha256(),
                s.image(), s.signedAt(), null);

        Rejected r = rejected(jar, PluginJars.signStatement(noKey, publisher.getPrivate()).toBytes());

        assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY);
    }

    @Test
    void oneFlippedByteInTheJarIsAJarMismatch() throws Exception {
        byte[] tampered = jar.clone();
        tampered[tampered.length / 2] ^= 0x01;

        Rejected r = rejected(tampered, sig.toBytes());

        assertThat(r.reason()).isEqualTo(Reason.JAR_MISMATCH);
        assertThat(r.message()).contains(Sha256.hex(tampered)).contains(honestStatement().jarSha256());
    }

    @Test
    void alteredStatementUnderTheOldSignatureIsABadSignature() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode statement = (ObjectNode) json.readTree(sig.statementBytes());
        statement.put("version", "9.9.9");
        byte[] forged = new PluginSignature(json.writeValueAsBytes(statement), sig.signature()).toBytes();

        Rejected r = rejected(jar, forged);

        assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(r.message()).contains("acme").contains(Keys.keyId(publisher.getPublic()));
    }

    @Test
    void sameStatementReformattedIsABadSignatureBecauseTheExactBytesAreSigned() throws Exception {
        ObjectMapper json = new ObjectMapper();
        byte[] pretty = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(json.readTree(sig.statementBytes()));
        assertThat(pretty).isNotEqualTo(sig.statementBytes());

        Rejected r = rejected(jar, new PluginSignature(pretty, sig.signature()).toBytes());

        assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void truncatedSignatureBytesAreABadSignature() throws Exception {
        byte[] truncated = new PluginSignature(sig.statementBytes(), Arrays.copyOf(sig.signature(), 63)).toBytes();

        assertThat(rejected(jar, truncated).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void garbageSignatureFileIsMalformed() throws Exception {
        Rejected r = rejected(jar, "this is not a signature".getBytes(StandardCharsets.UTF_8));

        assertThat(r.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
        assertThat(r.message()).contains("not JSON");
    }

    @Test
    void signatureFileInAnotherFormatIsMalformed() throws Exception {
        String other = new String(sig.toBytes(), StandardCharsets.UTF_8)
                .replace("clawbot-plugin-signature/1", "clawbot-plugin-signature/2");

        Rejected r = rejected(jar, other.getBytes(StandardCharsets.UTF_8));

        assertThat(r.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
        assertThat(r.message()).contains("not in format clawbot-plugin-signature/1");
    }

    @Test
    void signatureFileWithBadBase64IsMalformed() throws Exception {
        String bad = "{\"format\":\"clawbot-plugin-signature/1\",\"statement\":\"%%%\",\"signature\":\"AAAA\"}";

        Rejected r = rejected(jar, bad.getBytes(StandardCharsets.UTF_8));

        assertThat(r.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
        assertThat(r.message()).contains("bad base64");
    }

    @Test
    void statementWithAnUnknownFieldIsMalformed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode statement = (ObjectNode) json.readTree(sig.statementBytes());
        statement.put("trustMe", true);
        String file = "{\"format\":\"clawbot-plugin-signature/1\",\"statement\":\""
                + Base64.getEncoder().encodeToString(json.writeValueAsBytes(statement)) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(sig.signature()) + "\"}";

        Rejected r = rejected(jar, file.getBytes(StandardCharsets.UTF_8));

        assertThat(r.reason()).isEqualTo(Reason.MALFORMED_SIGNATURE);
        assertThat(r.message()).contains("trustMe");
    }

    @Test
    void validlySignedJarWithADuplicateEntryIsMalformed() throws Exception {
        byte[] dup = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of("META-INF/clawbot/skill.yaml", PluginJars.SKILL_YAML),
                RawZip.Entry.of("ai/clawbot/test/Notes.class", "first"),
                RawZip.Entry.of("ai/clawbot/test/Notes.class", "second")));
        byte[] sigBytes = signedFor(dup).toBytes();

        Rejected r = rejected(dup, sigBytes);

        assertThat(r.reason()).isEqualTo(Reason.MALFORMED_JAR);
        assertThat(r.message()).isEqualTo("duplicate jar entry 'ai/clawbot/test/Notes.class'");
    }

    @Test
    void validlySignedJarWithAPathTraversalEntryIsMalformed() throws Exception {
        byte[] evil = PluginJars.jar(PluginJars.manifest("notes", "1.2.3"), PluginJars.SKILL_YAML,
                Map.of("../evil.class", new byte[] {1, 2, 3}));
        byte[] sigBytes = signedFor(evil).toBytes();

        Rejected r = rejected(evil, sigBytes);

        assertThat(r.reason()).isEqualTo(Reason.MALFORMED_JAR);
        assertThat(r.message()).isEqualTo("unsafe jar entry name '../evil.class'");
    }

    @Test
    void signerRefusesToSignAJarTheVerifierWouldCallMalformed() throws Exception {
        byte[] evil = PluginJars.jar(PluginJars.manifest("notes", "1.2.3"), PluginJars.SKILL_YAML,
                Map.of("../evil.class", new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> PluginSigner.sign(evil, publisher.getPrivate(), publisher.getPublic(), NOW))
                .isInstanceOf(IOException.class)
                .hasMessage("unsafe jar entry name '../evil.class'");
    }

    @Test
    void signedStatementForAnotherSkillManifestIsAManifestMismatch() throws Exception {
        SignatureStatement s = honestStatement();
        SignatureStatement other = new SignatureStatement(s.pluginId(), s.version(), s.jarSha256(),
                Sha256.hex("id: other".getBytes(StandardCharsets.UTF_8)), s.image(), s.signedAt(), s.keyId());

        Rejected r = rejected(jar, PluginJars.signStatement(other, publisher.getPrivate()).toBytes());

        assertThat(r.reason()).isEqualTo(Reason.MANIFEST_MISMATCH);
    }

    @Test
    void signedStatementForAnotherPluginIdIsADescriptorMismatch() throws Exception {
        SignatureStatement s = honestStatement();
        SignatureStatement other = new SignatureStatement("other", s.version(), s.jarSha256(), s.manifestSha256(),
                s.image(), s.signedAt(), s.keyId());

        Rejected r = rejected(jar, PluginJars.signStatement(other, publisher.getPrivate()).toBytes());

        assertThat(r.reason()).isEqualTo(Reason.DESCRIPTOR_MISMATCH);
        assertThat(r.message()).isEqualTo("jar says notes@1.2.3 but the signature is for other@1.2.3");
    }

    @Test
    void signedStatementForAnotherVersionIsADescriptorMismatch() throws Exception {
        SignatureStatement s = honestStatement();
        SignatureStatement other = new SignatureStatement(s.pluginId(), "2.0.0", s.jarSha256(), s.manifestSha256(),
                s.image(), s.signedAt(), s.keyId());

        Rejected r = rejected(jar, PluginJars.signStatement(other, publisher.getPrivate()).toBytes());

        assertThat(r.reason()).isEqualTo(Reason.DESCRIPTOR_MISMATCH);
        assertThat(r.message()).isEqualTo("jar says notes@1.2.3 but the signature is for notes@2.0.0");
    }

    @Test
    void jarOver64MiBIsTooLarge() throws Exception {
        byte[] huge = new byte[(int) JarInspector.MAX_JAR_BYTES + 1];

        assertThat(rejected(huge, sig.toBytes()).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    /** A signature by the trusted publisher whose statement pins exactly these bytes (bypassing the signer's checks). */
    private PluginSignature signedFor(byte[] jarBytes) throws Exception {
        SignatureStatement s = new SignatureStatement("notes", "1.2.3", Sha256.hex(jarBytes),
                Sha256.hex(PluginJars.SKILL_YAML.getBytes(StandardCharsets.UTF_8)), "clawbot/skill-jre:17",
                NOW.toString(), Keys.keyId(publisher.getPublic()));
        return PluginJars.signStatement(s, publisher.getPrivate());
    }
}

package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verifier with a {@link CheckMemo} skips only the Ed25519 arithmetic for the exact key, signature and statement
 * it verified before: a bad signature is never remembered, and trust (revocation) is decided on every call.
 */
class PluginVerifierMemoTest {

    @TempDir
    Path tmp;

    private KeyPair publisher;
    private TrustStore trust;
    private byte[] jar;
    private final Set<String> remembered = new HashSet<>();
    private final List<String> asked = new ArrayList<>();
    private final CheckMemo memo = new CheckMemo() {
        @Override
        public boolean passed(String check, byte[] input) {
            asked.add(check);
            return remembered.contains(check + java.util.HexFormat.of().formatHex(input));
        }

        @Override
        public void record(String check, byte[] input) {
            remembered.add(check + java.util.HexFormat.of().formatHex(input));
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        publisher = Keys.generate();
        trust = TrustStore.open(tmp.resolve("trust"));
        trust.add(publisher.getPublic(), "acme");
        jar = PluginJars.writeTo(tmp, "notes.jar", PluginJars.pluginJar("notes", "1.2.3", PluginJars.SKILL_YAML));
    }

    private byte[] signature(KeyPair key) throws Exception {
        return PluginSigner.sign(jar, key.getPrivate(), key.getPublic(), Instant.parse("2025-01-02T03:04:05Z")).toBytes();
    }

    @Test
    void aValidSignatureAndTheJarsStructureAreRememberedAndTheSameJarVerifiesToTheSameFacts() throws Exception {
        byte[] sig = signature(publisher);

        Verification first = PluginVerifier.create(trust, memo).verify(jar, sig);
        Verification again = PluginVerifier.create(trust, memo).verify(jar, sig);

        assertThat(first).isInstanceOf(Verification.Verified.class);
        assertThat(remembered).hasSize(2);
        assertThat(asked).containsExactly(PluginVerifier.SIGNATURE_CHECK, JarInspector.STRUCTURE_CHECK,
                PluginVerifier.SIGNATURE_CHECK, JarInspector.STRUCTURE_CHECK);
        assertThat(again).isInstanceOf(Verification.Verified.class);
        JarFacts a = ((Verification.Verified) first).facts();
        JarFacts b = ((Verification.Verified) again).facts();
        assertThat(b.pluginId()).isEqualTo(a.pluginId());
        assertThat(b.version()).isEqualTo(a.version());
        assertThat(b.jarSha256()).isEqualTo(a.jarSha256());
        assertThat(b.manifestSha256()).isEqualTo(a.manifestSha256());
        assertThat(b.image()).isEqualTo(a.image());
        assertThat(b.manifestBytes()).isEqualTo(a.manifestBytes());
    }

    @Test
    void aJarWithADuplicateEntryIsInspectedAndRefusedWhateverElseWasRemembered() throws Exception {
        PluginVerifier.create(trust, memo).verify(jar, signature(publisher));
        byte[] dup = RawZip.build(List.of(
                RawZip.Entry.of("META-INF/MANIFEST.MF", PluginJars.manifestBytes("notes", "1.2.3")),
                RawZip.Entry.of("META-INF/clawbot/skill.yaml", PluginJars.SKILL_YAML),
                RawZip.Entry.of("ai/clawbot/test/Notes.class", "first"),
                RawZip.Entry.of("ai/clawbot/test/Notes.class", "second")));
        byte[] sig = PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), Instant.EPOCH).toBytes();
        SignatureStatement s = PluginSignature.parse(sig).statement();
        SignatureStatement forDup = new SignatureStatement(s.pluginId(), s.version(), Sha256.hex(dup), s.manifestSha256(),
                s.image(), s.signedAt(), s.keyId());

        Verification v = PluginVerifier.create(trust, memo)
                .verify(dup, PluginJars.signStatement(forDup, publisher.getPrivate()).toBytes());

        assertThat(v).isInstanceOf(Verification.Rejected.class);
        assertThat(((Verification.Rejected) v).reason()).isEqualTo(Verification.Reason.MALFORMED_JAR);
        assertThat(remembered).as("its valid signature is remembered, its structure is not").hasSize(3);
    }

    @Test
    void aFlippedSignatureBitIsCheckedAndRefusedAndNeverRemembered() throws Exception {
        PluginVerifier verifier = PluginVerifier.create(trust, memo);
        verifier.verify(jar, signature(publisher));
        PluginSignature good = PluginSignature.parse(signature(publisher));
        byte[] bad = good.signature().clone();
        bad[10] ^= 0x01;

        Verification v = verifier.verify(jar, new PluginSignature(good.statementBytes(), bad).toBytes());

        assertThat(v).isInstanceOf(Verification.Rejected.class);
        assertThat(((Verification.Rejected) v).reason()).isEqualTo(Verification.Reason.BAD_SIGNATURE);
        assertThat(remembered).as("only the good signature and its jar").hasSize(2);
    }

    @Test
    void aRememberedSignatureOfARevokedKeyIsRefused() throws Exception {
        byte[] sig = signature(publisher);
        assertThat(PluginVerifier.create(trust, memo).verify(jar, sig)).isInstanceOf(Verification.Verified.class);

        trust.revokeKey(Keys.keyId(publisher.getPublic()), "leaked");

        Verification v = PluginVerifier.create(trust, memo).verify(jar, sig);
        assertThat(v).isInstanceOf(Verification.Rejected.class);
        assertThat(((Verification.Rejected) v).reason()).isEqualTo(Verification.Reason.REVOKED_KEY);
    }

    @Test
    void keySignatureAndMessageCannotBeShiftedIntoEachOther() {
        byte[] a = PluginVerifier.memoInput(new byte[] {1, 2}, new byte[] {3}, new byte[] {4});
        byte[] b = PluginVerifier.memoInput(new byte[] {1}, new byte[] {2, 3}, new byte[] {4});

        assertThat(a).isNotEqualTo(b);
    }
}

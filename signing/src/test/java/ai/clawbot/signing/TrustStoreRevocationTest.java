package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.signing.Verification.Reason;
import ai.clawbot.signing.Verification.Rejected;
import ai.clawbot.signing.Verification.Verified;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revoked keys and jars, and the per-plugin minimum version, as the verifier applies them. */
class TrustStoreRevocationTest {

    @TempDir
    Path tmp;

    private KeyPair publisher;
    private TrustStore trust;
    private PluginVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        publisher = Keys.generate();
        trust = TrustStore.open(tmp.resolve("trust"));
        trust.add(publisher.getPublic(), "acme");
        verifier = PluginVerifier.create(trust);
    }

    private byte[] jar(String version) throws IOException {
        return PluginJars.pluginJar("notes", version, PluginJars.SKILL_YAML);
    }

    private byte[] sig(byte[] jar) throws Exception {
        return PluginSigner.sign(jar, publisher.getPrivate(), publisher.getPublic(), Instant.EPOCH).toBytes();
    }

    private Rejected rejected(byte[] jar, byte[] sig) throws IOException {
        Verification v = verifier.verify(jar, sig);
        assertThat(v).isInstanceOf(Rejected.class);
        return (Rejected) v;
    }

    @Test
    void revokedKeyRejectsItsJarsRemovesThePinAndCannotBeAddedAgain() throws Exception {
        byte[] jar = jar("1.0.0");
        byte[] sig = sig(jar);
        String keyId = Keys.keyId(publisher.getPublic());

        trust.revokeKey(keyId, "laptop stolen");

        Rejected r = rejected(jar, sig);
        assertThat(r.reason()).isEqualTo(Reason.REVOKED_KEY);
        assertThat(r.message()).contains(keyId).contains("laptop stolen");
        assertThat(tmp.resolve("trust/keys/acme.pem")).doesNotExist();
        assertThat(trust.revokedKey(keyId)).hasValueSatisfying(rev -> assertThat(rev.reason()).isEqualTo("laptop stolen"));
        assertThatThrownBy(() -> trust.add(publisher.getPublic(), "acme-again"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revoked");
    }

    @Test
    void revokedJarIsRejectedWhileOtherJarsOfTheSameKeyStillVerify() throws Exception {
        byte[] bad = jar("1.0.0");
        byte[] good = jar("1.0.1");
        trust.revokeJar(Sha256.hex(bad), "CVE-2099-0001");

        Rejected r = rejected(bad, sig(bad));

        assertThat(r.reason()).isEqualTo(Reason.REVOKED_JAR);
        assertThat(r.message()).contains(Sha256.hex(bad)).contains("CVE-2099-0001");
        assertThat(verifier.verify(good, sig(good))).isInstanceOf(Verified.class);
    }

    @Test
    void revokingTwiceKeepsOneEntryWithTheFirstReason() throws Exception {
        String sha = Sha256.hex(jar("1.0.0"));

        trust.revokeJar(sha, "first");
        trust.revokeJar(sha, "second");

        assertThat(trust.revocations("jars")).singleElement().satisfies(rev -> {
            assertThat(rev.id()).isEqualTo(sha);
            assertThat(rev.reason()).isEqualTo("first");
        });
    }

    @Test
    void revocationIdsMustBe64LowercaseHex() {
        assertThatThrownBy(() -> trust.revokeKey("ABC", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> trust.revokeJar("../../etc", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versionBelowTheMinimumIsADowngradeAndTheMinimumItselfVerifies() throws Exception {
        trust.raiseMinimumVersion("notes", "1.2.0");

        Rejected old = rejected(jar("1.1.9"), sig(jar("1.1.9")));
        Rejected pre = rejected(jar("1.2.0-rc.1"), sig(jar("1.2.0-rc.1")));

        assertThat(old.reason()).isEqualTo(Reason.DOWNGRADE);
        assertThat(old.message()).contains("notes@1.1.9").contains("1.2.0");
        assertThat(pre.reason()).isEqualTo(Reason.DOWNGRADE);
        assertThat(verifier.verify(jar("1.2.0"), sig(jar("1.2.0")))).isInstanceOf(Verified.class);
        assertThat(verifier.verify(jar("1.10.0"), sig(jar("1.10.0")))).isInstanceOf(Verified.class);
    }

    @Test
    void minimumVersionCanOnlyBeRaised() throws Exception {
        trust.raiseMinimumVersion("notes", "2.0.0");

        assertThatThrownBy(() -> trust.raiseMinimumVersion("notes", "1.9.9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("can only be raised");
        trust.raiseMinimumVersion("notes", "2.0.1");
        assertThat(trust.minimumVersions()).containsEntry("notes", "2.0.1");
    }

    /**
     * Regression test (was a bug, fixed: NumberFormatException): see SemVerTest. A validly signed
     * jar whose version has a pre-release number over 18 digits makes verify() throw instead of answering,
     * once a minimum version with the same major.minor.patch is set (PluginVerifier.verify's
     * SemVer.parse(...).compareTo(minimum) -> SemVer.compareTo line 39 -> Long.parseLong).
     */
    @Test
    void hugePreReleaseNumberAboveTheMinimumStillGetsAnAnswer() throws Exception {
        trust.raiseMinimumVersion("notes", "1.0.0-1");
        byte[] jar = jar("1.0.0-99999999999999999999");
        byte[] sig = sig(jar);

        assertThat(verifier.verify(jar, sig)).isInstanceOf(Verified.class);
    }

    @Test
    void pluginVersionThatIsNotSemverIsRejected() throws Exception {
        byte[] jar = jar("1.0");

        Rejected r = rejected(jar, sig(jar));

        assertThat(r.reason()).isEqualTo(Reason.DESCRIPTOR_MISMATCH);
        assertThat(r.message()).contains("'1.0' is not a semantic version");
    }

    @Test
    void unreadableRevocationFileFailsClosed() throws Exception {
        byte[] jar = jar("1.0.0");
        byte[] sig = sig(jar);
        Files.writeString(tmp.resolve("trust/revoked.json"), "{ not json");

        assertThatThrownBy(() -> verifier.verify(jar, sig))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("revoked.json is unreadable");
    }
}

package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.signing.KeyRotations.Outcome;
import ai.clawbot.signing.Verification.Reason;
import ai.clawbot.signing.Verification.Rejected;
import ai.clawbot.signing.Verification.Verified;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation statements: both keys sign, OLD trusted for the grace period, NEW from the statement on. */
class KeyRotationTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    MovableClock clock;
    TrustStore trust;
    KeyPair oldKey;
    KeyPair newKey;
    byte[] jar;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MovableClock(T0);
        trust = TrustStore.open(tmp.resolve("trust"), clock);
        oldKey = Keys.generate();
        newKey = Keys.generate();
        trust.add(oldKey.getPublic(), "acme");
        jar = PluginJars.pluginJar("notes", "1.2.3", PluginJars.SKILL_YAML);
    }

    @Test
    void newKeyIsRefusedBeforeTheStatementAcceptedAfterItAndOldEndsWithTheGracePeriod() throws Exception {
        PluginVerifier verifier = PluginVerifier.create(trust);
        byte[] byNew = sign(newKey);
        byte[] byOld = sign(oldKey);
        assertThat(verifier.verify(jar, byNew)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY));

        KeyRotation rotation = KeyRotation.sign(oldKey, newKey, T0, Duration.ofDays(30));
        assertThat(trust.acceptRotation(rotation.toBytes())).isInstanceOfSatisfying(Outcome.Accepted.class,
                a -> assertThat(a.alreadyKnown()).isFalse());
        assertThat(trust.acceptRotation(rotation.toBytes())).isInstanceOfSatisfying(Outcome.Accepted.class,
                a -> assertThat(a.alreadyKnown()).isTrue());

        assertThat(verifier.verify(jar, byNew)).isInstanceOfSatisfying(Verified.class,
                v -> assertThat(v.signer().name()).isEqualTo("acme"));
        assertThat(verifier.verify(jar, byOld)).as("OLD within the grace period").isInstanceOf(Verified.class);

        clock.set(T0.plus(Duration.ofDays(30)).plusSeconds(1));
        assertThat(verifier.verify(jar, byOld)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY);
            assertThat(r.message()).contains("rotated to " + Keys.keyId(newKey.getPublic())).contains("grace period ended");
        });
        assertThat(verifier.verify(jar, byNew)).isInstanceOf(Verified.class);
        assertThat(trust.rotations().chain()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("acme");
            assertThat(r.oldKeyId()).isEqualTo(Keys.keyId(oldKey.getPublic()));
            assertThat(r.newKeyId()).isEqualTo(Keys.keyId(newKey.getPublic()));
            assertThat(r.oldRetired()).isTrue();
        });
    }

    @Test
    void aRetiredKeyCannotRotateAgain() throws Exception {
        trust.acceptRotation(KeyRotation.sign(oldKey, newKey, T0, Duration.ofDays(1)).toBytes());
        clock.set(T0.plus(Duration.ofDays(2)));
        KeyPair thief = Keys.generate();
        assertThat(trust.acceptRotation(KeyRotation.sign(oldKey, thief, clock.instant(), Duration.ZERO).toBytes()))
                .isInstanceOfSatisfying(Outcome.Refused.class, r -> {
                    assertThat(r.reason()).isEqualTo("UNTRUSTED_KEY");
                    assertThat(r.message()).contains("grace period ended");
                });
    }

    @Test
    void chainsFollowAndTheTrustListShowsThem() throws Exception {
        KeyPair third = Keys.generate();
        assertThat(trust.acceptRotation(KeyRotation.sign(oldKey, newKey, T0, Duration.ofDays(1)).toBytes())).isInstanceOf(Outcome.Accepted.class);
        assertThat(trust.acceptRotation(KeyRotation.sign(newKey, third, T0, Duration.ofDays(2)).toBytes())).isInstanceOf(Outcome.Accepted.class);
        clock.set(T0.plus(Duration.ofDays(3)));
        assertThat(trust.keys()).extracting(TrustStore.TrustedKey::keyId).containsExactly(Keys.keyId(third.getPublic()));
        assertThat(trust.rotations().chain()).extracting(KeyRotations.Rotation::newKeyId)
                .containsExactly(Keys.keyId(newKey.getPublic()), Keys.keyId(third.getPublic()));
    }

    @Test
    void aStatementSignedByTheOldKeyOnlyIsRefused() throws Exception {
        KeyPair attacker = Keys.generate();
        // The old key's holder names a key without its holder's signature (NEW's signature is by another key).
        KeyRotation honest = KeyRotation.sign(oldKey, attacker, T0, Duration.ZERO);
        KeyRotation otherNew = KeyRotation.sign(oldKey, newKey, T0, Duration.ZERO);
        byte[] forged = withSignatures(honest, honest.oldSignature(), otherNew.newSignature());
        assertRefused(forged, "BAD_SIGNATURE", "not signed by the new key");
        assertThat(PluginVerifier.create(trust).verify(jar, sign(attacker))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY));
    }

    @Test
    void aStatementSignedByTheNewKeyOnlyIsRefused() throws Exception {
        KeyPair attacker = Keys.generate();
        KeyPair stranger = Keys.generate();
        KeyRotation selfMade = KeyRotation.sign(stranger, attacker, T0, Duration.ZERO);
        // Re-target the attacker's statement at the trusted key: OLD's signature is then by a stranger.
        ObjectNode st = (ObjectNode) JSON.readTree(selfMade.statementBytes());
        st.put("oldKeyId", Keys.keyId(oldKey.getPublic()));
        byte[] statementBytes = JSON.writeValueAsBytes(st);
        KeyRotation resigned = new KeyRotation(statementBytes, selfMade.oldSignature(),
                signRaw(attacker, statementBytes));
        assertRefused(resigned.toBytes(), "BAD_SIGNATURE", "not signed by the old key");
        assertRefused(withSignatures(resigned, new byte[64], resigned.newSignature()), "BAD_SIGNATURE", "not signed by the old key");
    }

    @Test
    void aStatementFromOrToARevokedKeyIsRefused() throws Exception {
        byte[] statement = KeyRotation.sign(oldKey, newKey, T0, Duration.ofDays(1)).toBytes();
        TrustStore other = TrustStore.open(tmp.resolve("other"), clock);
        other.add(oldKey.getPublic(), "acme");
        other.revokeKey(Keys.keyId(newKey.getPublic()), "new key leaked");
        assertThat(other.acceptRotation(statement)).isInstanceOfSatisfying(Outcome.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("REVOKED_KEY"));

        trust.revokeKey(Keys.keyId(oldKey.getPublic()), "old key leaked");
        assertRefused(statement, "REVOKED_KEY", "cannot hand over trust");
    }

    @Test
    void statementsDroppedIntoTheFolderCountOnlyWhenBothSignaturesHold() throws Exception {
        KeyPair attacker = Keys.generate();
        KeyRotation a = KeyRotation.sign(oldKey, attacker, T0, Duration.ZERO);
        KeyRotation b = KeyRotation.sign(oldKey, newKey, T0, Duration.ZERO);
        Files.createDirectories(tmp.resolve("trust/rotations"));
        Files.write(tmp.resolve("trust/rotations/forged.json"), withSignatures(a, a.oldSignature(), b.newSignature()));
        Files.writeString(tmp.resolve("trust/rotations/garbage.json"), "{not json");
        assertThat(trust.keys()).extracting(TrustStore.TrustedKey::keyId).containsExactly(Keys.keyId(oldKey.getPublic()));
        assertThat(trust.rotations().ignored()).extracting(KeyRotations.Ignored::file)
                .containsExactlyInAnyOrder("forged.json", "garbage.json");
        assertThat(PluginVerifier.create(trust).verify(jar, sign(attacker))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.UNTRUSTED_KEY));
    }

    @Test
    void aRevokedNewKeyStaysRefusedEvenWithAValidStatement() throws Exception {
        trust.acceptRotation(KeyRotation.sign(oldKey, newKey, T0, Duration.ofDays(1)).toBytes());
        trust.revokeKey(Keys.keyId(newKey.getPublic()), "leaked");
        assertThat(PluginVerifier.create(trust).verify(jar, sign(newKey))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(Reason.REVOKED_KEY));
        assertThat(trust.keys()).extracting(TrustStore.TrustedKey::keyId).containsExactly(Keys.keyId(oldKey.getPublic()));
    }

    @Test
    void malformedStatementsAreRefusedWithoutChangingTheStore() throws Exception {
        assertRefused("{}".getBytes(StandardCharsets.UTF_8), "MALFORMED", "format");
        assertRefused(new byte[KeyRotation.MAX_BYTES + 1], "MALFORMED", "over");
        assertThat(tmp.resolve("trust/rotations")).doesNotExist();
    }

    private void assertRefused(byte[] statement, String reason, String message) throws Exception {
        assertThat(trust.acceptRotation(statement)).isInstanceOfSatisfying(Outcome.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.message()).contains(message);
        });
        assertThat(trust.rotations().chain()).isEmpty();
    }

    private static byte[] withSignatures(KeyRotation r, byte[] oldSig, byte[] newSig) {
        ObjectNode o = JSON.createObjectNode().put("format", KeyRotation.FORMAT)
                .put("statement", Base64.getEncoder().encodeToString(r.statementBytes()))
                .put("oldSignature", Base64.getEncoder().encodeToString(oldSig))
                .put("newSignature", Base64.getEncoder().encodeToString(newSig));
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] signRaw(KeyPair key, byte[] statementBytes) throws Exception {
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update((KeyRotation.FORMAT + "\n").getBytes(StandardCharsets.US_ASCII));
        s.update(statementBytes);
        return s.sign();
    }

    private byte[] sign(KeyPair key) throws Exception {
        return PluginSigner.sign(jar, key.getPrivate(), key.getPublic(), T0).toBytes();
    }

    /** A clock the test moves (grace periods end without waiting). */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

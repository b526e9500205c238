package ai.clawbot.host.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceVerifierTest {

    private static final long NOW = 1_760_000_000_000L;
    private static final String NONCE = "3f1c9a0b5e7d2c4a8b6e0f1d2c3b4a59";
    private static final ClientInfo CLIENT = new ClientInfo("openclaw-control-ui", "ui", "MacIntel", "Desktop");
    private static final List<String> READ = List.of("operator.read");

    private final DeviceVerifier verifier = DeviceVerifier.create();
    private final Device device = new Device();
    private final Device other = new Device();

    /** A real Ed25519 device, encoded the way OpenClaw clients encode it. */
    static final class Device {
        final KeyPair keys;
        final byte[] raw;
        final String publicKey;
        final String id;

        Device() {
            try {
                keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = keys.getPublic().getEncoded();
                raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                publicKey = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        byte[] signBytes(String payload) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(keys.getPrivate());
                s.update(payload.getBytes(StandardCharsets.UTF_8));
                return s.sign();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        String sign(String payload) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signBytes(payload));
        }

        DeviceProof proof(String signature, long signedAt, String nonce) {
            return new DeviceProof(id, publicKey, signature, signedAt, nonce);
        }
    }

    private String v3(Device d, List<String> scopes, String token) {
        return "v3|" + d.id + "|openclaw-control-ui|ui|operator|" + String.join(",", scopes) + "|" + NOW + "|"
                + token + "|" + NONCE + "|macintel|desktop";
    }

    private String v2(Device d, List<String> scopes, String token) {
        return "v2|" + d.id + "|openclaw-control-ui|ui|operator|" + String.join(",", scopes) + "|" + NOW + "|"
                + token + "|" + NONCE;
    }

    private DeviceCheck verify(DeviceProof proof, List<String> scopes, String token) {
        return verifier.verify(proof, NONCE, CLIENT, "operator", scopes, token, NOW);
    }

    private static void assertRefused(DeviceCheck check, String code) {
        assertThat(check).isInstanceOf(DeviceCheck.Refused.class);
        assertThat(((DeviceCheck.Refused) check).code()).isEqualTo(code);
    }

    @Test
    void payloadStringsAreOpenClawsPipeJoinedFormsWithNormalisedPlatform() {
        ClientInfo c = new ClientInfo("cli", "cli", "  LINUX\t", null);
        assertThat(DeviceVerifier.payloadV2("abc", c, "operator", List.of("operator.read", "operator.write"), 17L, null, "n"))
                .isEqualTo("v2|abc|cli|cli|operator|operator.read,operator.write|17||n");
        assertThat(DeviceVerifier.payloadV3("abc", c, "operator", List.of(), 17L, "tok", "n"))
                .isEqualTo("v3|abc|cli|cli|operator||17|tok|n|linux|");
        // Only ASCII A-Z is lower-cased, as normalizeDeviceMetadataForAuth does; 'İ' stays.
        assertThat(DeviceVerifier.payloadV3("a", new ClientInfo("c", "m", "\u00A0İOS\uFEFF", "X"), "r", List.of(), 1, "", "n"))
                .endsWith("|İos|x");
    }

    @Test
    void aValidV3ProofVerifiesAndYieldsTheIdAndCanonicalKey() {
        DeviceProof proof = device.proof(device.sign(v3(device, READ, "tok")), NOW, NONCE);
        assertThat(verify(proof, READ, "tok")).isEqualTo(new DeviceCheck.Verified(device.id, device.publicKey));
    }

    @Test
    void aValidV2ProofVerifiesAndAnAbsentTokenIsSignedAsEmpty() {
        DeviceProof proof = device.proof(device.sign(v2(device, READ, "")), NOW, NONCE);
        assertThat(verify(proof, READ, null)).isInstanceOf(DeviceCheck.Verified.class);
        assertThat(verify(proof, READ, "")).isInstanceOf(DeviceCheck.Verified.class);
        assertRefused(verify(proof, READ, "some-token"), DeviceVerifier.SIGNATURE_INVALID);
    }

    @Test
    void aSignatureForAnotherChallengeIsRefusedAsANonceMismatch() {
        DeviceProof replayed = device.proof(device.sign(v3(device, READ, "tok").replace(NONCE, "old-nonce")), NOW, "old-nonce");
        DeviceCheck check = verify(replayed, READ, "tok");
        assertRefused(check, DeviceVerifier.NONCE_MISMATCH);
        assertThat(((DeviceCheck.Refused) check).message()).isEqualTo("device nonce mismatch");
        assertThat(((DeviceCheck.Refused) check).reason()).isEqualTo("device-nonce-mismatch");
        // Right nonce in the proof, but the signature covers the old one: the signature check catches it.
        DeviceProof swapped = device.proof(replayed.signature(), NOW, NONCE);
        assertRefused(verify(swapped, READ, "tok"), DeviceVerifier.SIGNATURE_INVALID);
        assertRefused(verify(device.proof(device.sign(v3(device, READ, "tok")), NOW, " \t"), READ, "tok"),
                DeviceVerifier.NONCE_REQUIRED);
    }

    @Test
    void aSignatureOutsideTwoMinutesEitherWayIsExpired() {
        for (long skew : new long[] {-120_001, 120_001, -86_400_000, Long.MIN_VALUE / 2}) {
            long signedAt = NOW + skew;
            String payload = v3(device, READ, "tok").replace("|" + NOW + "|", "|" + signedAt + "|");
            assertRefused(verify(device.proof(device.sign(payload), signedAt, NONCE), READ, "tok"),
                    DeviceVerifier.SIGNATURE_EXPIRED);
        }
        long edge = NOW - 120_000;
        String payload = v3(device, READ, "tok").replace("|" + NOW + "|", "|" + edge + "|");
        assertThat(verify(device.proof(device.sign(payload), edge, NONCE), READ, "tok")).isInstanceOf(DeviceCheck.Verified.class);
        // The skew is the server's: a verifier with a tighter one refuses the same proof.
        assertRefused(DeviceVerifier.create(java.time.Duration.ofSeconds(30))
                .verify(device.proof(device.sign(payload), edge, NONCE), NONCE, CLIENT, "operator", READ, "tok", NOW),
                DeviceVerifier.SIGNATURE_EXPIRED);
    }

    @Test
    void anIdThatIsNotTheKeysFingerprintIsRefused() {
        String sig = device.sign(v3(device, READ, "tok"));
        assertRefused(verify(new DeviceProof(other.id, device.publicKey, sig, NOW, NONCE), READ, "tok"),
                DeviceVerifier.DEVICE_ID_MISMATCH);
        assertRefused(verify(new DeviceProof(device.id.toUpperCase(), device.publicKey, sig, NOW, NONCE), READ, "tok"),
                DeviceVerifier.DEVICE_ID_MISMATCH);
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        // The attacker claims the victim's id and key but can only sign with their own key.
        DeviceProof forged = device.proof(other.sign(v3(device, READ, "tok")), NOW, NONCE);
        assertRefused(verify(forged, READ, "tok"), DeviceVerifier.SIGNATURE_INVALID);
    }

    @Test
    void anyFieldChangedAfterSigningBreaksTheSignature() {
        DeviceProof proof = device.proof(device.sign(v3(device, READ, "tok")), NOW, NONCE);
        DeviceProof proofV2 = device.proof(device.sign(v2(device, READ, "tok")), NOW, NONCE);
        for (DeviceProof p : List.of(proof, proofV2)) {
            assertRefused(verify(p, List.of("operator.admin"), "tok"), DeviceVerifier.SIGNATURE_INVALID);
            assertRefused(verify(p, List.of("operator.read", "operator.admin"), "tok"), DeviceVerifier.SIGNATURE_INVALID);
            assertRefused(verify(p, List.of(), "tok"), DeviceVerifier.SIGNATURE_INVALID);
            assertRefused(verify(p, READ, "other-token"), DeviceVerifier.SIGNATURE_INVALID);
            assertRefused(verifier.verify(p, NONCE, CLIENT, "node", READ, "tok", NOW), DeviceVerifier.SIGNATURE_INVALID);
            assertRefused(verifier.verify(p, NONCE, new ClientInfo("cli", "ui", "MacIntel", "Desktop"), "operator", READ,
                    "tok", NOW), DeviceVerifier.SIGNATURE_INVALID);
            assertRefused(verifier.verify(new DeviceProof(p.id(), p.publicKey(), p.signature(), NOW + 1, NONCE), NONCE,
                    CLIENT, "operator", READ, "tok", NOW), DeviceVerifier.SIGNATURE_INVALID);
        }
        // v3 binds the platform; v2 does not (OpenClaw accepts v2 for older clients).
        ClientInfo otherPlatform = new ClientInfo("openclaw-control-ui", "ui", "Linux", "Desktop");
        assertRefused(verifier.verify(proof, NONCE, otherPlatform, "operator", READ, "tok", NOW), DeviceVerifier.SIGNATURE_INVALID);
        assertThat(verifier.verify(proofV2, NONCE, otherPlatform, "operator", READ, "tok", NOW))
                .isInstanceOf(DeviceCheck.Verified.class);
        // Case and blanks of platform and family are normalised before signing, so they may differ.
        assertThat(verifier.verify(proof, NONCE, new ClientInfo("openclaw-control-ui", "ui", " macintel ", "DESKTOP"),
                "operator", READ, "tok", NOW)).isInstanceOf(DeviceCheck.Verified.class);
    }

    @Test
    void fieldsWithTheSeparatorAreRefusedSoNoTwoFieldListsShareASignedString() {
        // Signed as clientId "a", mode "b|ui": the same string as clientId "a|b", mode "ui".
        String payload = "v2|" + device.id + "|a|b|ui|operator|operator.read|" + NOW + "|tok|" + NONCE;
        DeviceProof proof = device.proof(device.sign(payload), NOW, NONCE);
        assertRefused(verifier.verify(proof, NONCE, new ClientInfo("a|b", "ui", null, null), "operator", READ, "tok", NOW),
                DeviceVerifier.INVALID);
        assertRefused(verifier.verify(proof, NONCE, new ClientInfo("a", "b|ui", null, null), "operator", READ, "tok", NOW),
                DeviceVerifier.INVALID);
        assertRefused(verify(proof, List.of("operator.read,operator.admin"), "tok"), DeviceVerifier.INVALID);
    }

    @Test
    void malformedBase64IsRefused() {
        String sig = device.sign(v3(device, READ, "tok"));
        assertRefused(verify(new DeviceProof(device.id, "not base64!", sig, NOW, NONCE), READ, "tok"),
                DeviceVerifier.PUBLIC_KEY_INVALID);
        assertRefused(verify(new DeviceProof(device.id, device.publicKey + "*", sig, NOW, NONCE), READ, "tok"),
                DeviceVerifier.PUBLIC_KEY_INVALID);
        assertRefused(verify(new DeviceProof(device.id, "A".repeat(5000), sig, NOW, NONCE), READ, "tok"),
                DeviceVerifier.PUBLIC_KEY_INVALID);
        for (String badSig : List.of(sig + "!", sig.substring(1), "@@@@", sig.replace('-', '+').replace('_', '/') + "-", "A".repeat(4000))) {
            assertRefused(verify(device.proof(badSig, NOW, NONCE), READ, "tok"), DeviceVerifier.SIGNATURE_INVALID);
        }
    }

    @Test
    void paddedAndStandardBase64AreToleratedAsOpenClawDoes() {
        byte[] sig = device.signBytes(v3(device, READ, "tok"));
        String stdKey = Base64.getEncoder().encodeToString(device.raw);
        DeviceProof std = new DeviceProof(device.id, stdKey, Base64.getEncoder().encodeToString(sig), NOW, NONCE);
        assertThat(verify(std, READ, "tok")).isEqualTo(new DeviceCheck.Verified(device.id, device.publicKey));
        DeviceProof padded = new DeviceProof(device.id, device.publicKey + "=", Base64.getUrlEncoder().encodeToString(sig), NOW, NONCE);
        assertThat(verify(padded, READ, "tok")).isInstanceOf(DeviceCheck.Verified.class);
    }

    @Test
    void keysOfTheWrongLengthAreRefused() {
        String sig = device.sign(v3(device, READ, "tok"));
        for (int len : new int[] {31, 33, 44, 1}) {
            byte[] raw = Arrays.copyOf(device.raw, len);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            DeviceCheck check = verify(new DeviceProof(sha256Hex(raw), key, sig, NOW, NONCE), READ, "tok");
            assertRefused(check, DeviceVerifier.PUBLIC_KEY_INVALID);
            assertThat(((DeviceCheck.Refused) check).message()).contains("32 bytes");
        }
    }

    @Test
    void anEd25519PemIsAcceptedAndNonEd25519KeysAreRefused() throws Exception {
        DeviceProof pem = new DeviceProof(device.id, pem(device.keys.getPublic().getEncoded()),
                device.sign(v3(device, READ, "tok")), NOW, NONCE);
        assertThat(verify(pem, READ, "tok")).isEqualTo(new DeviceCheck.Verified(device.id, device.publicKey));

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
        for (byte[] spki : List.of(ec.generateKeyPair().getPublic().getEncoded(), x25519,
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded())) {
            DeviceCheck check = verify(new DeviceProof(sha256Hex(spki), pem(spki), device.sign("x"), NOW, NONCE), READ, "tok");
            assertRefused(check, DeviceVerifier.PUBLIC_KEY_INVALID);
            // A whole SPKI sent as if it were the raw key is refused too (44+ bytes).
            String asRaw = Base64.getUrlEncoder().withoutPadding().encodeToString(spki);
            assertRefused(verify(new DeviceProof(sha256Hex(spki), asRaw, device.sign("x"), NOW, NONCE), READ, "tok"),
                    DeviceVerifier.PUBLIC_KEY_INVALID);
        }
        // A raw X25519 key is 32 bytes too; it cannot produce an Ed25519 signature that verifies.
        byte[] rawX = Arrays.copyOfRange(x25519, x25519.length - 32, x25519.length);
        String keyX = Base64.getUrlEncoder().withoutPadding().encodeToString(rawX);
        assertRefused(verify(new DeviceProof(sha256Hex(rawX), keyX, device.sign(v3(device, READ, "tok")), NOW, NONCE),
                READ, "tok"), DeviceVerifier.SIGNATURE_INVALID);
        assertRefused(verify(new DeviceProof(device.id, "-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----",
                device.sign("x"), NOW, NONCE), READ, "tok"), DeviceVerifier.PUBLIC_KEY_INVALID);
    }

    @Test
    void refusalsCarryOpenClawsReasonsAndABlankChallengeIsAServerBug() {
        assertThat(new DeviceCheck.Refused(DeviceVerifier.DEVICE_ID_MISMATCH, "m").reason()).isEqualTo("device-id-mismatch");
        assertThat(new DeviceCheck.Refused(DeviceVerifier.SIGNATURE_EXPIRED, "m").reason()).isEqualTo("device-signature-stale");
        assertThat(new DeviceCheck.Refused(DeviceVerifier.SIGNATURE_INVALID, "m").reason()).isEqualTo("device-signature");
        assertThat(new DeviceCheck.Refused(DeviceVerifier.PUBLIC_KEY_INVALID, "m").reason()).isEqualTo("device-public-key");
        DeviceProof proof = device.proof(device.sign(v3(device, READ, "tok")), NOW, NONCE);
        assertThatThrownBy(() -> verifier.verify(proof, " ", CLIENT, "operator", READ, "tok", NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceVerifier.create(java.time.Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String pem(byte[] spki) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

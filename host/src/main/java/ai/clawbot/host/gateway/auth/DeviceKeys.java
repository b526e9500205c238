package ai.clawbot.host.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 key and signature encodings of OpenClaw's {@code src/infra/ed25519-signature.ts}, decoded strictly:
 * where Node's {@code Buffer.from(s, "base64")} skips characters it does not know, this refuses them, so one
 * key or signature has one meaning.
 */
final class DeviceKeys {

    static final int RAW_KEY_BYTES = 32;
    static final int SIGNATURE_BYTES = 64;
    /** OpenClaw's bounds (MAX_PUBLIC_KEY_INPUT_CHARS, MAX_SIGNATURE_INPUT_CHARS): checked before any decoding. */
    static final int MAX_PUBLIC_KEY_CHARS = 1024;
    static final int MAX_SIGNATURE_CHARS = 256;
    /** DER SubjectPublicKeyInfo header of an Ed25519 key (OID 1.3.101.112); the raw key follows. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Pattern PEM = Pattern.compile(
            "\\s*-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----\\s*");

    private DeviceKeys() {
    }

    /** Thrown with the reason a public key is refused. */
    static final class BadKey extends Exception {
        BadKey(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The raw 32-byte key of {@code publicKey}: raw bytes as base64url (OpenClaw's wire form; padding and the
     * standard alphabet tolerated, as OpenClaw does) or an Ed25519 SPKI PEM.
     */
    static byte[] rawPublicKey(String publicKey) throws BadKey {
        if (publicKey.length() > MAX_PUBLIC_KEY_CHARS) {
            throw new BadKey("longer than " + MAX_PUBLIC_KEY_CHARS + " characters");
        }
        if (publicKey.contains("BEGIN")) {
            Matcher m = PEM.matcher(publicKey);
            if (!m.matches()) {
                throw new BadKey("not a PEM public key");
            }
            byte[] der = decodeBase64(m.group(1).replaceAll("\\s", ""));
            if (der == null) {
                throw new BadKey("PEM body is not base64");
            }
            if (der.length != SPKI_PREFIX.length + RAW_KEY_BYTES
                    || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
                throw new BadKey("not an Ed25519 key");
            }
            return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
        }
        byte[] raw = decodeBase64(publicKey);
        if (raw == null) {
            throw new BadKey("not base64url");
        }
        if (raw.length != RAW_KEY_BYTES) {
            throw new BadKey("an Ed25519 key is " + RAW_KEY_BYTES + " bytes, this one is " + raw.length);
        }
        return raw;
    }

    /** The 64 signature bytes, or {@code null} when {@code signature} is not base64url/base64 of 64 bytes. */
    static byte[] signature(String signature) {
        if (signature.length() > MAX_SIGNATURE_CHARS) {
            return null;
        }
        byte[] sig = decodeBase64(signature);
        return sig != null && sig.length == SIGNATURE_BYTES ? sig : null;
    }

    /** The device id OpenClaw derives ({@code deriveDeviceIdFromPublicKey}): SHA-256 of the raw key, lowercase hex. */
    static String deviceId(byte[] rawKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canonical(byte[] rawKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(rawKey);
    }

    /** Whether {@code sig} is an Ed25519 signature by {@code rawKey} over the UTF-8 bytes of {@code payload}. */
    static boolean verifies(byte[] rawKey, String payload, byte[] sig) {
        try {
            byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + RAW_KEY_BYTES);
            System.arraycopy(rawKey, 0, spki, SPKI_PREFIX.length, RAW_KEY_BYTES);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // e.g. 32 bytes that are not a point on the curve
        }
    }

    /** Base64url or standard base64, padded or not, one alphabet at a time; {@code null} if neither. */
    private static byte[] decodeBase64(String s) {
        try {
            if (BASE64URL.matcher(s).matches()) {
                return Base64.getUrlDecoder().decode(s);
            }
            if (BASE64.matcher(s).matches()) {
                return Base64.getDecoder().decode(s);
            }
        } catch (IllegalArgumentException e) {
            // bad length or padding
        }
        return null;
    }
}

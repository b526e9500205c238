package ai.clawbot.plugin.onepassword;

import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 one-time codes from a 1Password OTP field's value: an {@code otpauth://totp/…?secret=BASE32&digits=
 * &period=&algorithm=} URI, or the bare base32 secret (SHA-1, 6 digits, 30 s).
 */
public final class Totp {

    private Totp() {
    }

    /**
     * The code for {@code now}.
     *
     * @throws IllegalArgumentException when the value is not an OTP secret (the message never holds it)
     */
    public static String code(String otpValue, Instant now) {
        String secret = otpValue.strip();
        String algorithm = "SHA1";
        int digits = 6;
        long period = 30;
        if (secret.regionMatches(true, 0, "otpauth://", 0, 10)) {
            URI uri;
            try {
                uri = URI.create(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the OTP field holds a malformed otpauth:// URI");
            }
            secret = null;
            String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                String v = java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8);
                switch (kv[0].toLowerCase(Locale.ROOT)) {
                    case "secret" -> secret = v;
                    case "digits" -> digits = parse(v, "digits");
                    case "period" -> period = parse(v, "period");
                    case "algorithm" -> algorithm = v.toUpperCase(Locale.ROOT);
                    default -> { }
                }
            }
            if (secret == null) {
                throw new IllegalArgumentException("the OTP field's otpauth:// URI has no secret");
            }
        }
        if (digits < 6 || digits > 10 || period < 1 || period > 600) {
            throw new IllegalArgumentException("the OTP field asks for " + digits + " digits every " + period
                    + " s; 6 to 10 digits and 1 to 600 s are supported");
        }
        String mac = switch (algorithm) {
            case "SHA1" -> "HmacSHA1";
            case "SHA256" -> "HmacSHA256";
            case "SHA512" -> "HmacSHA512";
            default -> throw new IllegalArgumentException("unsupported OTP algorithm " + algorithm);
        };
        return hotp(base32(secret), Math.floorDiv(now.getEpochSecond(), period), digits, mac);
    }

    /** RFC 4226 HOTP. */
    static String hotp(byte[] key, long counter, int digits, String macAlgorithm) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, "RAW"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int o = h[h.length - 1] & 0xf;
            long bin = ((h[o] & 0x7fL) << 24) | ((h[o + 1] & 0xffL) << 16) | ((h[o + 2] & 0xffL) << 8) | (h[o + 3] & 0xffL);
            long mod = (long) Math.pow(10, digits);
            return String.format("%0" + digits + "d", bin % mod);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC " + macAlgorithm + " unavailable", e);
        }
    }

    /** RFC 4648 base32, case-insensitive, spaces and padding ignored (how authenticator secrets are written). */
    static byte[] base32(String text) {
        String s = text.replace(" ", "").replace("-", "").replace("=", "").toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the OTP field's secret is empty");
        }
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(s.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("the OTP field's secret is not base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static int parse(String v, String what) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the OTP field's " + what + " is not a number");
        }
    }
}

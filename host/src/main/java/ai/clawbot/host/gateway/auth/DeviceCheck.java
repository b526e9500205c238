package ai.clawbot.host.gateway.auth;

import java.util.Objects;

/** What {@link DeviceVerifier#verify} decided about a {@code connect.params.device} proof. */
public sealed interface DeviceCheck permits DeviceCheck.Verified, DeviceCheck.Refused {

    /**
     * The proof holds.
     *
     * @param deviceId  the device id, {@code sha256(raw public key)} as lowercase hex
     * @param publicKey the public key in canonical form: the raw 32 bytes as unpadded base64url, whatever form
     *                  (PEM, padded, standard base64) the client sent; store and compare this form
     */
    record Verified(String deviceId, String publicKey) implements DeviceCheck {
    }

    /**
     * The proof does not hold. Answer {@code INVALID_REQUEST} with {@code message}, {@code details.code = code}
     * and {@code details.reason = reason()}, then close 1008, as OpenClaw does.
     *
     * @param code    one of the {@code DEVICE_AUTH_*} codes in {@link DeviceVerifier}
     * @param message OpenClaw's message for it, e.g. {@code "device signature invalid"}
     */
    record Refused(String code, String message) implements DeviceCheck {

        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        /** OpenClaw's {@code details.reason} for this code (its internal verifier reason). */
        public String reason() {
            return switch (code) {
                case DeviceVerifier.DEVICE_ID_MISMATCH -> "device-id-mismatch";
                case DeviceVerifier.SIGNATURE_EXPIRED -> "device-signature-stale";
                case DeviceVerifier.NONCE_REQUIRED -> "device-nonce-missing";
                case DeviceVerifier.NONCE_MISMATCH -> "device-nonce-mismatch";
                case DeviceVerifier.SIGNATURE_INVALID -> "device-signature";
                case DeviceVerifier.PUBLIC_KEY_INVALID -> "device-public-key";
                default -> "device-auth-invalid";
            };
        }
    }
}

package ai.clawbot.host.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Verifies the Ed25519 device proof of a {@code connect} request exactly as OpenClaw specifies it.
 *
 * <p><b>What OpenClaw does</b> (read in the openclaw/openclaw sources):
 * <ul>
 * <li>{@code packages/gateway-client/src/device-auth.ts} ({@code buildDeviceAuthPayload}, {@code ...V3}): the
 * signed string is {@code v2|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce}, fields joined by
 * {@code |}, scopes joined by {@code ,} in the order the client sent them, {@code signedAtMs} in decimal, and an
 * absent token as the empty string ({@code token ?? ""}). {@code v3} appends {@code |platform|deviceFamily}, each
 * {@code normalizeDeviceMetadataForAuth}ed: absent &rarr; {@code ""}, trimmed (JS {@code trim}), ASCII
 * {@code A-Z} lower-cased (nothing else).</li>
 * <li>{@code src/infra/device-identity.ts} and {@code src/infra/ed25519-signature.ts}: {@code publicKey} is the
 * raw 32-byte Ed25519 key as base64url without padding (clients send {@code publicKeyRawBase64UrlFromPem});
 * a string containing {@code BEGIN} is read as an SPKI PEM instead. {@code signature} is the 64-byte Ed25519
 * signature over the UTF-8 payload, base64url (standard base64 tolerated). Inputs are bounded to 1024 (key)
 * and 256 (signature) characters before any crypto. {@code deriveDeviceIdFromPublicKey}: {@code device.id} is
 * {@code sha256(raw 32 key bytes)} as lowercase hex, compared exactly.</li>
 * <li>{@code src/gateway/server/ws-connection/connect-device-proof.ts} ({@code checkGatewayConnectDeviceProof})
 * and {@code handshake-auth-helpers.ts} ({@code resolveDeviceSignaturePayloadVersion}): checks in order id,
 * then {@code |now - signedAt| <= DEVICE_SIGNATURE_SKEW_MS} = 2 min (it was 10 min in early versions), then
 * the nonce (trimmed, non-empty, equal to this connection's {@code connect.challenge} nonce), then the
 * signature, tried as v3 first, then v2. The token signed is {@code auth.token ?? auth.deviceToken ??
 * auth.bootstrapToken}; the role is {@code params.role ?? "operator"}; the scopes are {@code params.scopes}
 * as sent ({@code []} if absent). A failure answers {@code INVALID_REQUEST} with {@code details{code, reason}}
 * and closes 1008.</li>
 * <li>{@code packages/gateway-protocol/src/connect-error-details.ts}
 * ({@code resolveDeviceAuthConnectErrorDetailCode}) and {@code docs/gateway/protocol.md}: the codes and
 * messages below. {@code src/gateway/protocol/schema/frames.ts}: {@code device} is
 * {@code {id, publicKey, signature, nonce: non-empty strings, signedAt: integer >= 0}}, no other field.</li>
 * </ul>
 *
 * <p><b>Where this is stricter</b>, on purpose: base64 is decoded strictly (Node skips unknown characters); a
 * public key must be exactly 32 bytes or an Ed25519 SPKI PEM (OpenClaw hashes whatever it decodes and lets the
 * signature check fail), and a malformed key is reported as {@code DEVICE_AUTH_PUBLIC_KEY_INVALID} (OpenClaw
 * reports {@code DEVICE_AUTH_DEVICE_ID_MISMATCH} since deriving the id fails first); the client id, mode, role,
 * scopes, platform and device family must not contain {@code |}, so two field lists can never sign the same
 * string ({@code DEVICE_AUTH_INVALID}). A v2 signature does not bind platform or device family; it is still
 * accepted, as in OpenClaw, for older clients.
 */
public final class DeviceVerifier {

    public static final String DEVICE_ID_MISMATCH = "DEVICE_AUTH_DEVICE_ID_MISMATCH";
    public static final String SIGNATURE_EXPIRED = "DEVICE_AUTH_SIGNATURE_EXPIRED";
    public static final String NONCE_REQUIRED = "DEVICE_AUTH_NONCE_REQUIRED";
    public static final String NONCE_MISMATCH = "DEVICE_AUTH_NONCE_MISMATCH";
    public static final String SIGNATURE_INVALID = "DEVICE_AUTH_SIGNATURE_INVALID";
    public static final String PUBLIC_KEY_INVALID = "DEVICE_AUTH_PUBLIC_KEY_INVALID";
    public static final String INVALID = "DEVICE_AUTH_INVALID";

    /** OpenClaw's DEVICE_SIGNATURE_SKEW_MS: how far {@code signedAt} may be from now, either way. */
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(2);

    private final long skewMs;

    private DeviceVerifier(long skewMs) {
        this.skewMs = skewMs;
    }

    public static DeviceVerifier create() {
        return create(DEFAULT_SKEW);
    }

    /** @throws IllegalArgumentException if {@code skew} is negative or over an hour (that is no freshness) */
    public static DeviceVerifier create(Duration skew) {
        Objects.requireNonNull(skew, "skew");
        if (skew.isNegative() || skew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("device signature skew must be between 0 and 1 h, not " + skew);
        }
        return new DeviceVerifier(skew.toMillis());
    }

    /**
     * Checks {@code proof} against what this connection is: its challenge nonce, the client, role, scopes (as the
     * client sent them, in order) and token it asks with.
     *
     * @param expectedNonce the nonce this connection's {@code connect.challenge} carried
     * @param token         the credential presented ({@code auth.token ?? auth.deviceToken ?? auth.bootstrapToken});
     *                      {@code null} when none, signed as {@code ""}
     * @param scopes        {@code connect.params.scopes} as sent; {@code null} or empty when absent
     * @param nowMs         the server's clock, in epoch milliseconds
     * @throws IllegalArgumentException if {@code expectedNonce} is blank (a server bug, not the client's)
     */
    public DeviceCheck verify(DeviceProof proof, String expectedNonce, ClientInfo client, String role,
                              List<String> scopes, String token, long nowMs) {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(client, "client");
        if (expectedNonce == null || expectedNonce.isBlank()) {
            throw new IllegalArgumentException("no challenge nonce to verify the device proof against");
        }
        List<String> signedScopes = scopes == null ? List.of() : scopes;
        byte[] rawKey;
        try {
            rawKey = DeviceKeys.rawPublicKey(proof.publicKey());
        } catch (DeviceKeys.BadKey e) {
            return new DeviceCheck.Refused(PUBLIC_KEY_INVALID, "device public key invalid: " + e.getMessage());
        }
        if (!DeviceKeys.deviceId(rawKey).equals(proof.id())) {
            return new DeviceCheck.Refused(DEVICE_ID_MISMATCH, "device identity mismatch");
        }
        // Subtract without overflow: signedAt is >= 0 from the wire, but a record can be built with anything.
        if (Math.abs((double) nowMs - (double) proof.signedAt()) > skewMs) {
            return new DeviceCheck.Refused(SIGNATURE_EXPIRED, "device signature expired");
        }
        String nonce = PayloadText.jsTrim(proof.nonce());
        if (nonce.isEmpty()) {
            return new DeviceCheck.Refused(NONCE_REQUIRED, "device nonce required");
        }
        if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8), expectedNonce.getBytes(StandardCharsets.UTF_8))) {
            return new DeviceCheck.Refused(NONCE_MISMATCH, "device nonce mismatch");
        }
        String platform = PayloadText.metadata(client.platform());
        String family = PayloadText.metadata(client.deviceFamily());
        if (PayloadText.hasSeparator(client.id(), client.mode(), role, platform, family)
                || signedScopes.stream().anyMatch(s -> s == null || s.indexOf('|') >= 0 || s.indexOf(',') >= 0)) {
            return new DeviceCheck.Refused(INVALID, "device auth fields must not contain '|' (and scopes no ',')");
        }
        byte[] sig = DeviceKeys.signature(proof.signature());
        if (sig == null) {
            return new DeviceCheck.Refused(SIGNATURE_INVALID, "device signature invalid");
        }
        String v3 = payloadV3(proof.id(), client, role, signedScopes, proof.signedAt(), token, nonce);
        String v2 = payloadV2(proof.id(), client, role, signedScopes, proof.signedAt(), token, nonce);
        if (DeviceKeys.verifies(rawKey, v3, sig) || DeviceKeys.verifies(rawKey, v2, sig)) {
            return new DeviceCheck.Verified(proof.id(), DeviceKeys.canonical(rawKey));
        }
        return new DeviceCheck.Refused(SIGNATURE_INVALID, "device signature invalid");
    }

    /** The v2 string a client signs; for clients and tests (the verifier builds its own). */
    public static String payloadV2(String deviceId, ClientInfo client, String role, List<String> scopes,
                                   long signedAtMs, String token, String nonce) {
        return String.join("|", "v2", deviceId, nullToEmpty(client.id()), nullToEmpty(client.mode()), nullToEmpty(role),
                String.join(",", scopes == null ? List.of() : scopes), Long.toString(signedAtMs), nullToEmpty(token),
                nonce);
    }

    /** The v3 string a client signs: v2's fields, then the normalised platform and device family. */
    public static String payloadV3(String deviceId, ClientInfo client, String role, List<String> scopes,
                                   long signedAtMs, String token, String nonce) {
        return "v3" + payloadV2(deviceId, client, role, scopes, signedAtMs, token, nonce).substring(2)
                + "|" + PayloadText.metadata(client.platform()) + "|" + PayloadText.metadata(client.deviceFamily());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

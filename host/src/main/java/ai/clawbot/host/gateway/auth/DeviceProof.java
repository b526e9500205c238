package ai.clawbot.host.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code connect.params.device} as sent: {@code {id, publicKey, signature, signedAt, nonce}}. OpenClaw's schema
 * (ConnectParamsSchema, {@code additionalProperties:false}) makes the four strings non-empty and
 * {@code signedAt} an integer &ge; 0; {@link #from} enforces the same shape. Nothing here is verified yet: that
 * is {@link DeviceVerifier}'s job.
 */
public record DeviceProof(String id, String publicKey, String signature, long signedAt, String nonce) {

    private static final Set<String> FIELDS = Set.of("id", "publicKey", "signature", "signedAt", "nonce");
    /** Far above any honest value (a PEM key is ~113 chars), low enough that junk costs nothing to hold. */
    static final int MAX_FIELD_CHARS = 2048;

    public DeviceProof {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(nonce, "nonce");
    }

    /**
     * Reads the {@code device} node of {@code connect.params}.
     *
     * @return empty when there is no device proof ({@code null}, a missing node or JSON {@code null})
     * @throws IllegalArgumentException when a proof is there but is not of the schema's shape (not an object, a
     *                                  field missing, of the wrong type, empty, over 2 KiB, or unknown); the
     *                                  message names the field
     */
    public static Optional<DeviceProof> from(JsonNode deviceNode) {
        if (deviceNode == null || deviceNode.isMissingNode() || deviceNode.isNull()) {
            return Optional.empty();
        }
        if (!deviceNode.isObject()) {
            throw new IllegalArgumentException("device must be an object");
        }
        for (Iterator<String> names = deviceNode.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
                throw new IllegalArgumentException("device has an unknown field '" + shown + "'");
            }
        }
        JsonNode signedAt = deviceNode.get("signedAt");
        if (signedAt == null || !signedAt.isIntegralNumber() || !signedAt.canConvertToLong() || signedAt.asLong() < 0) {
            throw new IllegalArgumentException("device.signedAt must be an integer >= 0 (milliseconds since the epoch)");
        }
        return Optional.of(new DeviceProof(text(deviceNode, "id"), text(deviceNode, "publicKey"),
                text(deviceNode, "signature"), signedAt.asLong(), text(deviceNode, "nonce")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("device." + field + " must be a non-empty string");
        }
        if (v.asText().length() > MAX_FIELD_CHARS) {
            throw new IllegalArgumentException("device." + field + " is longer than " + MAX_FIELD_CHARS + " characters");
        }
        return v.asText();
    }
}

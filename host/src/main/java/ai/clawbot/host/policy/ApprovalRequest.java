package ai.clawbot.host.policy;

import ai.clawbot.plugin.manifest.Effect;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A tool call waiting for an operator. Build one with {@link #of}; the queue stamps {@code createdAt} and
 * {@code expiresAt} (null until then). The args are copied, so the caller cannot change what the operator
 * approves after the fact.
 *
 * @param permissions the effective permissions' {@link EffectivePermissions#summary() summary}
 * @param preview     what the tool's declared approval preview showed ({@code tool}, {@code available}, {@code text},
 *                    {@code data}) or why it could not ({@code note}); null when the tool declares no preview
 */
public record ApprovalRequest(String id, String agentId, String sessionKey, String skill, String tool,
                              JsonNode args, Effect effect, String permissions, Instant createdAt,
                              Instant expiresAt, JsonNode preview) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(skill, "skill");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(effect, "effect");
        args = args == null ? JsonNodeFactory.instance.objectNode() : args.deepCopy();
        permissions = permissions == null ? "" : permissions;
        preview = preview == null || preview.isNull() || preview.isMissingNode() ? null : preview.deepCopy();
    }

    /** A request without a preview. */
    public ApprovalRequest(String id, String agentId, String sessionKey, String skill, String tool, JsonNode args,
                           Effect effect, String permissions, Instant createdAt, Instant expiresAt) {
        this(id, agentId, sessionKey, skill, tool, args, effect, permissions, createdAt, expiresAt, null);
    }

    /** A new request with a fresh unguessable id ({@code appr_} + 128 random bits). */
    public static ApprovalRequest of(String agentId, String sessionKey, String skill, String tool, JsonNode args,
                                     Effect effect, String permissions) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new ApprovalRequest("appr_" + HexFormat.of().formatHex(b), agentId, sessionKey, skill, tool, args,
                effect, permissions, null, null);
    }

    /** This request as queued at {@code now}, expiring after {@code timeout}. */
    public ApprovalRequest queued(Instant now, Duration timeout) {
        return new ApprovalRequest(id, agentId, sessionKey, skill, tool, args, effect, permissions, now,
                now.plus(timeout), preview);
    }

    /** This request showing the operator {@code preview} (see the record's doc). */
    public ApprovalRequest withPreview(JsonNode preview) {
        return new ApprovalRequest(id, agentId, sessionKey, skill, tool, args, effect, permissions, createdAt,
                expiresAt, preview);
    }

    /** Overrides the record accessor: a copy, so no holder of a request can alter what others see. */
    @Override
    public JsonNode args() {
        return args.deepCopy();
    }

    /** A copy too, for the same reason; null when there is none. */
    @Override
    public JsonNode preview() {
        return preview == null ? null : preview.deepCopy();
    }
}

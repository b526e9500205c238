package ai.clawbot.plugin.manifest;

import java.util.Objects;

/**
 * How the operator is shown a call of a tool before approving it ({@code approval:} on a tool).
 *
 * @param preview a tool of the same skill, effect {@code read}, that the gateway calls in the sandbox with the same
 *                arguments before asking for approval; its (size-capped) result is what the operator sees. Such a
 *                tool is never offered to a model, listed by {@code /mcp}, nor callable by any door itself.
 */
public record ToolApproval(String preview) {

    public ToolApproval {
        Objects.requireNonNull(preview, "preview");
    }
}

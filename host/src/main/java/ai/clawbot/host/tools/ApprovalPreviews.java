package ai.clawbot.host.tools;

import ai.clawbot.host.policy.EffectivePermissions;
import ai.clawbot.host.policy.PolicyAudit;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a tool's declared approval preview ({@code approval.preview}) before its operator is asked: in the sandbox,
 * through the same dispatch, with the same arguments, with the workspace read-only at most (the preview's effect is
 * {@code read}). What it returns is capped, so a hostile skill or message cannot flood the operator's screen; when it
 * fails the approval still happens, with a note that no preview is available. Package-private: only the
 * {@link ToolGate} runs it.
 */
final class ApprovalPreviews {

    static final int MAX_TEXT = 4000;
    static final int MAX_STRING = 2000;
    static final int MAX_ITEMS = 100;
    static final int MAX_DATA_CHARS = 16 * 1024;
    private static final int MAX_NOTE = 300;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SkillRouter router;
    private final PolicyAudit audit;

    ApprovalPreviews(SkillRouter router, PolicyAudit audit) {
        this.router = router;
        this.audit = audit;
    }

    /**
     * The preview for a call of {@code tool} judged with {@code granted}; empty when the tool declares none.
     *
     * @param networkBarred the call may not reach the network before approval (the session was shown a secret)
     */
    Optional<JsonNode> preview(ToolGate.Request r, LoadedSkill skill, ToolDeclaration tool, EffectivePermissions granted,
                               boolean networkBarred) {
        Optional<String> name = tool.previewTool();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String preview = name.get();
        if (networkBarred && !granted.network().isNone()) {
            return Optional.of(unavailable(preview, "this session was shown a secret, so nothing that can reach the "
                    + "network runs before an operator approves"));
        }
        Optional<GateOutcome> bad = router.refuse(router.catalog(), skill.id(), preview, r.args());
        if (bad.isPresent()) {
            return Optional.of(unavailable(preview, AgentToolInvoker.result(bad.get(), 0).text()));
        }
        EffectivePermissions readOnly = new EffectivePermissions(
                granted.workspace() == WorkspaceAccess.RW ? WorkspaceAccess.RO : granted.workspace(),
                granted.network(), granted.secrets());
        GateOutcome outcome = router.dispatch(r.agent().id(), r.sessionKey(), skill, preview, r.args(), readOnly,
                System.nanoTime());
        if (outcome instanceof GateOutcome.Ran ran) {
            audit.ran(r.door(), r.agent().id(), r.sessionKey(), skill.id(), preview, "approval preview of " + tool.name()
                    + ": " + (ran.outcome() instanceof ToolOutcome.Ok ok && !ok.isError() ? "ok" : "failed")
                    + " in " + ran.durationMs() + " ms", readOnly.summary(), r.args());
            if (ran.outcome() instanceof ToolOutcome.Ok ok && !ok.isError()) {
                ObjectNode shown = NODES.objectNode().put("tool", preview).put("available", true)
                        .put("text", cut(ok.text(), MAX_TEXT));
                JsonNode data = ok.structured() == null ? null : capped(ok.structured());
                if (data != null && data.toString().length() <= MAX_DATA_CHARS) {
                    shown.set("data", data);
                }
                return Optional.of(shown);
            }
        }
        return Optional.of(unavailable(preview, AgentToolInvoker.result(outcome, 0).text()));
    }

    private static ObjectNode unavailable(String tool, String why) {
        return NODES.objectNode().put("tool", tool).put("available", false)
                .put("note", "no preview is available: " + cut(why, MAX_NOTE));
    }

    /** Strings cut, arrays shortened, depth bounded: what is left is for a person to read, not to execute. */
    static JsonNode capped(JsonNode n) {
        return capped(n, 0);
    }

    private static JsonNode capped(JsonNode n, int depth) {
        if (depth > 8) {
            return NODES.textNode("…");
        }
        if (n.isTextual()) {
            return NODES.textNode(cut(n.asText(), MAX_STRING));
        }
        if (n.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < Math.min(n.size(), MAX_ITEMS); i++) {
                out.add(capped(n.get(i), depth + 1));
            }
            if (n.size() > MAX_ITEMS) {
                out.add("… " + (n.size() - MAX_ITEMS) + " more");
            }
            return out;
        }
        if (n.isObject()) {
            ObjectNode out = NODES.objectNode();
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext() && i < MAX_ITEMS; i++) {
                Map.Entry<String, JsonNode> f = it.next();
                out.set(cut(f.getKey(), 64), capped(f.getValue(), depth + 1));
            }
            return out;
        }
        return n;
    }

    private static String cut(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "…";
    }
}

package ai.clawbot.host.policy;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layers a call passes, in order (global → agent → session). A call runs only if every layer lets it:
 * so a later layer can narrow but never widen, a deny anywhere wins, and the permissions granted are the
 * manifest's declaration intersected with every ceiling. Immutable and thread-safe.
 */
public record PolicyChain(List<PolicyLayer> layers) {

    public PolicyChain {
        layers = List.copyOf(layers);
    }

    public static PolicyChain of(PolicyLayer... layers) {
        return new PolicyChain(List.of(layers));
    }

    /** The usual chain; a null layer is left out (it would narrow nothing). */
    public static PolicyChain create(PolicyLayer global, PolicyLayer agent, PolicyLayer session) {
        List<PolicyLayer> l = new ArrayList<>();
        for (PolicyLayer p : new PolicyLayer[] {global, agent, session}) {
            if (p != null) {
                l.add(p);
            }
        }
        return new PolicyChain(l);
    }

    /** Judges a call whose manifest is known. */
    public Decision decide(ToolRequest r) {
        Objects.requireNonNull(r, "request");
        Optional<Decision.Denied> refused = byName(r.skill(), r.tool());
        return refused.isPresent() ? refused.get() : byPermissions(r);
    }

    /**
     * Judges a call as the model names it ({@code skill.tool}) against the loaded skills. Policy is
     * checked before existence, so a refused name says "not allowed" whether or not such a skill exists.
     */
    public Decision decide(Collection<SkillManifest> catalog, String qualifiedName) {
        int dot = qualifiedName == null ? -1 : qualifiedName.indexOf('.');
        if (dot < 0) {
            return new Decision.Denied(Decision.Denied.REQUEST, PolicyNames.quote(qualifiedName)
                    + " is not a tool name: use skill.tool, for example obsidian.read");
        }
        return decide(catalog, qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    public Decision decide(Collection<SkillManifest> catalog, String skill, String tool) {
        Optional<Decision.Denied> refused = byName(skill, tool);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SkillManifest> m = catalog.stream().filter(s -> s.id().equals(skill)).findFirst();
        if (m.isEmpty()) {
            return new Decision.Denied(Decision.Denied.CATALOG, "no skill " + PolicyNames.quote(skill) + " is loaded");
        }
        Optional<ToolDeclaration> t = m.get().tool(tool);
        if (t.isEmpty()) {
            return new Decision.Denied(Decision.Denied.CATALOG,
                    "skill " + PolicyNames.quote(skill) + " has no tool " + PolicyNames.quote(tool));
        }
        if (m.get().isPreviewTool(tool)) {
            return previewOnly(skill, tool);
        }
        return byPermissions(ToolRequest.of(m.get(), t.get()));
    }

    /** The {@code skill.tool} names of {@code skills} this chain would allow: what the model may be offered. */
    public Set<String> visibleTools(Collection<SkillManifest> skills) {
        Set<String> out = new TreeSet<>();
        for (SkillManifest m : skills) {
            for (ToolDeclaration t : m.tools()) {
                if (!m.isPreviewTool(t.name()) && decide(ToolRequest.of(m, t)) instanceof Decision.Allowed) {
                    out.add(PolicyNames.qualified(m.id(), t.name()));
                }
            }
        }
        return out;
    }

    /** Another tool's approval preview: the gateway calls it before that tool's approval, nobody calls it directly. */
    private static Decision.Denied previewOnly(String skill, String tool) {
        return new Decision.Denied(Decision.Denied.PREVIEW, "tool " + PolicyNames.qualified(skill, tool)
                + " is an approval preview: only the gateway calls it, before asking an operator", "approval.preview");
    }

    private Optional<Decision.Denied> byName(String skill, String tool) {
        if (!PolicyNames.isSkillId(skill)) {
            return denied(Decision.Denied.REQUEST, PolicyNames.quote(skill) + " is not a skill id (ids match "
                    + PolicyNames.SKILL_ID + ")");
        }
        if (!PolicyNames.isToolName(tool)) {
            return denied(Decision.Denied.REQUEST, PolicyNames.quote(tool) + " is not a tool name (names match "
                    + PolicyNames.TOOL_NAME + ")");
        }
        String q = PolicyNames.qualified(skill, tool);
        // Every layer's deny first: a deny anywhere is the reason given, whatever another layer allows.
        for (PolicyLayer l : layers) {
            Optional<String> p = l.skills().denying(skill);
            if (p.isPresent()) {
                return denied(l.name(), l.display() + " denies skill " + PolicyNames.quote(skill), "skills.deny: " + p.get());
            }
            p = l.tools().denying(q);
            if (p.isPresent()) {
                return denied(l.name(), l.display() + " denies tool " + q, "tools.deny: " + p.get());
            }
        }
        for (PolicyLayer l : layers) {
            if (!l.skills().allows(skill)) {
                return denied(l.name(), l.display() + " does not allow skill " + PolicyNames.quote(skill), "skills.allow");
            }
            if (!l.tools().allows(q)) {
                return denied(l.name(), l.display() + " does not allow tool " + q, "tools.allow");
            }
        }
        return Optional.empty();
    }

    private Decision byPermissions(ToolRequest r) {
        String q = r.qualifiedName();
        // A read tool needs the workspace read-only at most; anything else needs what the skill declares.
        // Never grant a write tool less than it declares: refuse instead of a silent read-only mount.
        WorkspaceAccess need = r.effect() == Effect.READ ? min(r.workspace(), WorkspaceAccess.RO) : r.workspace();
        for (PolicyLayer l : layers) {
            Optional<WorkspaceAccess> cap = l.ceiling().workspace();
            if (cap.isPresent() && need.compareTo(cap.get()) > 0) {
                return new Decision.Denied(l.name(), "tool " + q + " needs workspace " + need.wire() + "; "
                        + l.display() + " allows at most " + cap.get().wire(), "permissions.workspace: " + cap.get().wire());
            }
        }
        WorkspaceAccess grant = layers.stream().map(l -> l.ceiling().workspace()).flatMap(Optional::stream)
                .reduce(r.workspace(), PolicyChain::min);
        for (String secret : r.secrets()) {
            for (PolicyLayer l : layers) {
                if (!l.ceiling().allowsSecret(secret)) {
                    return new Decision.Denied(l.name(), "tool " + q + " needs secret " + PolicyNames.quote(secret)
                            + "; " + l.display() + " does not allow it", "permissions.secrets");
                }
            }
        }
        // Network narrows by intersection: a skill's allowlist is skill-wide, so dropping hosts a layer
        // refuses is the documented meaning; the egress proxy then refuses them at run time.
        List<String> hosts = r.network().allow().stream()
                .filter(h -> layers.stream().allMatch(l -> l.ceiling().allowsHost(h))).toList();
        return new Decision.Allowed(new EffectivePermissions(grant, new NetworkPolicy(hosts), r.secrets()));
    }

    private static WorkspaceAccess min(WorkspaceAccess a, WorkspaceAccess b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Optional<Decision.Denied> denied(String layer, String reason) {
        return Optional.of(new Decision.Denied(layer, reason, "name"));
    }

    private static Optional<Decision.Denied> denied(String layer, String reason, String rule) {
        return Optional.of(new Decision.Denied(layer, reason, rule));
    }
}

package ai.clawbot.host.tools;

import ai.clawbot.host.policy.EffectivePermissions;
import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.manifests.ToolArguments;
import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Resolves {@code skill.tool} to a verified skill and its declared tool, checks the arguments against the tool's
 * input schema, and hands a judged call to the sandbox with the manifest's permissions narrowed. Package-private on
 * purpose: only {@link ToolGate} may reach the sandbox, so no door can skip policy, approvals or the audit.
 */
final class SkillRouter {

    private final Supplier<SkillCatalog> catalog;
    private final Sandbox sandbox;
    private final Function<String, Path> workspaces;
    private final Function<String, Map<String, String>> settings;
    private final ToolArguments arguments = ToolArguments.create();

    SkillRouter(Supplier<SkillCatalog> catalog, Sandbox sandbox, Function<String, Path> workspaces,
                Function<String, Map<String, String>> settings) {
        this.catalog = catalog;
        this.sandbox = sandbox;
        this.workspaces = workspaces;
        this.settings = settings;
    }

    SkillCatalog catalog() {
        return catalog.get();
    }

    /** Unknown skill or tool, or arguments that do not match the schema; empty when the call may go on. */
    Optional<GateOutcome> refuse(SkillCatalog current, String skillId, String toolName, JsonNode args) {
        Optional<LoadedSkill> skill = current.find(skillId);
        if (skill.isEmpty()) {
            return Optional.of(new GateOutcome.UnknownSkill(skillId, current.skills().stream().map(LoadedSkill::id).toList()));
        }
        Optional<ToolDeclaration> tool = skill.get().manifest().tool(toolName);
        if (tool.isEmpty()) {
            return Optional.of(new GateOutcome.UnknownTool(skillId, toolName,
                    skill.get().manifest().tools().stream().map(ToolDeclaration::name).toList()));
        }
        var violations = arguments.check(tool.get(), args);
        return violations.isEmpty() ? Optional.empty()
                : Optional.of(new GateOutcome.InvalidArgs(skillId, toolName, violations));
    }

    /**
     * Runs a call judged against {@code judged}, with exactly {@code granted}: the sandbox mounts and allows what the
     * narrowed manifest says, and pools containers per narrowed permissions. If the plugin changed since it was
     * judged (its permissions were not), nothing runs.
     */
    GateOutcome dispatch(String agentId, String scope, LoadedSkill judged, String toolName, JsonNode args,
                         EffectivePermissions granted, long t0) {
        Optional<LoadedSkill> now = catalog.get().find(judged.id());
        if (now.isEmpty() || !now.get().manifest().equals(judged.manifest())
                || !now.get().jarSha256().equals(judged.jarSha256())) {
            return new GateOutcome.SkillChanged(judged.id(), toolName);
        }
        SkillManifest m = judged.manifest();
        SkillManifest narrowed = new SkillManifest(m.id(), m.version(), m.description(), m.tools(), m.sandbox(),
                new Permissions(granted.workspace(), granted.secrets(), m.permissions().resources()), granted.network(),
                m.settings());
        LoadedSkill run = now.get().withManifest(narrowed);
        var outcome = sandbox.call(new SandboxCall(agentId, scope, run, toolName, args, workspaces.apply(agentId),
                settings.apply(judged.id())));
        return new GateOutcome.Ran(judged.id(), toolName, outcome, granted, (System.nanoTime() - t0) / 1_000_000);
    }
}

package ai.clawbot.host.skills;

import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.manifests.ManifestCheck.Violation;
import ai.clawbot.manifests.ToolArguments;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves {@code skill.tool(args)} to a verified skill and its declared tool, validates the arguments
 * against the tool's input schema, and only then hands the call to the sandbox. Anything refused here
 * starts no container.
 */
public final class SkillRouter {

    private final Supplier<SkillCatalog> catalog;
    private final Sandbox sandbox;
    private final Path workspace;
    private final ToolArguments arguments = ToolArguments.create();

    private java.util.function.Function<String, Map<String, String>> settings = id -> Map.of();

    private java.util.function.Function<String, Path> workspaces;

    /** Which folder an agent's sandboxes get as their workspace (default: the gateway's workspace). */
    public SkillRouter withWorkspaces(java.util.function.Function<String, Path> byAgent) {
        this.workspaces = byAgent;
        return this;
    }

    /** Where a skill's settings come from ({@code plugins.entries.<id>.settings} in the config). */
    public SkillRouter withSettings(java.util.function.Function<String, Map<String, String>> source) {
        this.settings = source;
        return this;
    }

    public SkillRouter(Supplier<SkillCatalog> catalog, Sandbox sandbox, Path workspace) {
        this.catalog = catalog;
        this.sandbox = sandbox;
        this.workspace = workspace;
    }

    /** How routing a call ended. */
    public sealed interface Routed {
        record UnknownSkill(String skill, List<String> known) implements Routed {
        }

        record UnknownTool(String skill, String tool, List<String> known) implements Routed {
        }

        record InvalidArgs(String skill, String tool, List<Violation> violations) implements Routed {
        }

        record Ran(ToolOutcome outcome) implements Routed {
        }
    }

    public Routed invoke(String skillId, String toolName, JsonNode args) {
        return invoke(SandboxCall.DEFAULT_AGENT, SandboxCall.DEFAULT_SCOPE, skillId, toolName, args);
    }

    /** Routes a call made for an agent in a session scope (each pair gets its own warm containers). */
    public Routed invoke(String agentId, String scope, String skillId, String toolName, JsonNode args) {
        return invoke(agentId, scope, skillId, toolName, args, java.util.function.UnaryOperator.identity());
    }

    /**
     * As above, with the manifest's permissions narrowed by policy first ({@code narrow} may only take away: the
     * sandbox grants what the narrowed manifest says, and containers are pooled per narrowed permissions).
     */
    public Routed invoke(String agentId, String scope, String skillId, String toolName, JsonNode args,
                         java.util.function.UnaryOperator<ai.clawbot.plugin.manifest.SkillManifest> narrow) {
        SkillCatalog current = catalog.get();
        Optional<LoadedSkill> skill = current.find(skillId);
        if (skill.isEmpty()) {
            return new Routed.UnknownSkill(skillId, current.skills().stream().map(LoadedSkill::id).toList());
        }
        Optional<ToolDeclaration> tool = skill.get().manifest().tool(toolName);
        if (tool.isEmpty()) {
            return new Routed.UnknownTool(skillId, toolName,
                    skill.get().manifest().tools().stream().map(ToolDeclaration::name).toList());
        }
        List<Violation> violations = arguments.check(tool.get(), args);
        if (!violations.isEmpty()) {
            return new Routed.InvalidArgs(skillId, toolName, violations);
        }
        LoadedSkill s = skill.get();
        LoadedSkill narrowed = s.withManifest(narrow.apply(s.manifest()));
        Path agentWorkspace = workspaces == null ? workspace : workspaces.apply(agentId);
        return new Routed.Ran(sandbox.call(new SandboxCall(agentId, scope, narrowed, toolName, args, agentWorkspace,
                settings.apply(skillId))));
    }
}

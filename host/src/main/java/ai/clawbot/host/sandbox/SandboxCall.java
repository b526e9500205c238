package ai.clawbot.host.sandbox;

import ai.clawbot.host.skills.LoadedSkill;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * One tool call to run: who asks (agent, session scope), the verified skill, the tool, its (already
 * validated) arguments, the host folder to mount as {@code /workspace} (as the manifest's workspace
 * permission says) and non-secret settings.
 */
public record SandboxCall(String agentId, String scope, LoadedSkill skill, String tool, JsonNode args, Path workspace,
                          Map<String, String> settings) {

    public static final String DEFAULT_AGENT = "default";
    public static final String DEFAULT_SCOPE = "main";

    public SandboxCall {
        settings = Map.copyOf(settings);
        agentId = agentId == null || agentId.isBlank() ? DEFAULT_AGENT : agentId;
        scope = scope == null || scope.isBlank() ? DEFAULT_SCOPE : scope;
    }

    public SandboxCall(LoadedSkill skill, String tool, JsonNode args, Path workspace, Map<String, String> settings) {
        this(DEFAULT_AGENT, DEFAULT_SCOPE, skill, tool, args, workspace, settings);
    }
}

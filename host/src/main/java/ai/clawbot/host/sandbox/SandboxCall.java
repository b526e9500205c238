package ai.clawbot.host.sandbox;

import ai.clawbot.host.skills.LoadedSkill;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * One tool call to run: the verified skill, the tool, its (already validated) arguments, the host folder
 * to mount as {@code /workspace} (as the manifest's workspace permission says) and non-secret settings.
 */
public record SandboxCall(LoadedSkill skill, String tool, JsonNode args, Path workspace, Map<String, String> settings) {

    public SandboxCall {
        settings = Map.copyOf(settings);
    }
}

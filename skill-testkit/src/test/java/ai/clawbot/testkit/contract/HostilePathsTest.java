package ai.clawbot.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostilePathsTest {

    private static ToolDeclaration tool(String input) throws Exception {
        return new ToolDeclaration("t", "t", new ObjectMapper().readTree(input), Effect.READ);
    }

    @Test
    void pathLikeStringArgumentsAreAttackedAndOthersAreNot() throws Exception {
        ToolDeclaration t = tool("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"cwd\":{\"type\":\"string\"},"
                + "\"source_file\":{\"type\":\"string\"},\"query\":{\"type\":\"string\"},\"url\":{\"type\":\"string\"},"
                + "\"dir\":{\"type\":\"integer\"},\"command\":{\"type\":\"array\"}}}");

        assertThat(HostilePaths.pathArguments(t)).containsExactly("path", "cwd", "source_file");
    }

    @Test
    void theLinksPointOutOfTheWorkspaceToWhatEverySandboxHas(@TempDir Path ws) throws Exception {
        HostilePaths.plant(ws);
        HostilePaths.plant(ws); // idempotent: a second run replaces them

        assertThat(Files.readSymbolicLink(ws.resolve(HostilePaths.LINK_ETC))).isEqualTo(Path.of("/etc"));
        assertThat(Files.readSymbolicLink(ws.resolve(HostilePaths.LINK_TMP))).isEqualTo(Path.of("/tmp"));
        assertThat(Files.readSymbolicLink(ws.resolve(HostilePaths.LINK_SECRETS))).isEqualTo(Path.of("/run/secrets"));
        assertThat(HostilePaths.cases("api_key")).extracting(HostilePaths.Case::value)
                .contains("../etc/passwd", "/etc/passwd", "claw-contract-etc/passwd", "claw-contract-secrets/api_key");
        assertThat(HostilePaths.escapeFiles()).allMatch(f -> f.startsWith("/tmp/claw-contract-"));
    }
}

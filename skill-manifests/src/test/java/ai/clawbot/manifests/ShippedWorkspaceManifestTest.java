package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifest shipped in {@code manifests/workspace/skill.yaml} (surefire runs in the module folder). */
class ShippedWorkspaceManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ManifestCheck check;

    @BeforeAll
    static void validate() throws Exception {
        check = ManifestValidator.create().validate(Files.readAllBytes(Path.of("manifests/workspace/skill.yaml")));
    }

    private static SkillManifest manifest() {
        assertThat(check).as(check.toString()).isInstanceOf(Valid.class);
        return ((Valid) check).manifest();
    }

    @Test
    void isValidWithFiveToolsAndTheirEffects() {
        SkillManifest m = manifest();
        assertThat(m.id()).isEqualTo("workspace");
        assertThat(m.version()).isEqualTo("0.1.0");
        assertThat(m.sandbox().image()).isEqualTo("skill-jre");
        assertThat(m.tools()).extracting(ToolDeclaration::name, ToolDeclaration::effect).containsExactly(
                tuple("list", Effect.READ), tuple("read", Effect.READ), tuple("write", Effect.WRITE),
                tuple("edit", Effect.WRITE), tuple("exec", Effect.WRITE));
        assertThat(m.tools()).allSatisfy(t -> assertThat(t.input().path("additionalProperties").asBoolean(true)).isFalse());
    }

    @Test
    void workspaceReadWriteNoNetworkNoSecretsAndATimeoutAboveTheLongestCommand() {
        SkillManifest m = manifest();
        assertThat(m.permissions().workspace()).isEqualTo(WorkspaceAccess.RW);
        assertThat(m.network().isNone()).isTrue();
        assertThat(m.permissions().secrets()).isEmpty();
        int longestExec = m.tool("exec").orElseThrow().input().at("/properties/timeout_seconds/maximum").asInt();
        assertThat(m.permissions().resources().timeoutDuration()).isGreaterThan(Duration.ofSeconds(longestExec));
        assertThat(m.permissions().resources().memoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(m.permissions().resources().pids()).isEqualTo(128);
    }

    @Test
    void argumentsAreCheckedAgainstTheToolSchemas() throws Exception {
        ToolArguments args = ToolArguments.create();
        SkillManifest m = manifest();
        ToolDeclaration exec = m.tool("exec").orElseThrow();
        assertThat(args.check(exec, JSON.readTree("{\"command\":[\"ls\",\"-la\"],\"cwd\":\"src\",\"timeout_seconds\":5}"))).isEmpty();
        for (String bad : List.of("{\"command\":\"ls -la\"}", "{\"command\":[]}", "{}", "{\"command\":[\"ls\"],\"shell\":true}",
                "{\"command\":[\"ls\"],\"timeout_seconds\":600}")) {
            assertThat(args.check(exec, JSON.readTree(bad))).as(bad).isNotEmpty();
        }
        ToolDeclaration edit = m.tool("edit").orElseThrow();
        assertThat(args.check(edit, JSON.readTree("{\"path\":\"a\",\"old_string\":\"x\",\"new_string\":\"\"}"))).isEmpty();
        assertThat(args.check(edit, JSON.readTree("{\"path\":\"a\",\"old_string\":\"\",\"new_string\":\"y\"}"))).isNotEmpty();
        assertThat(args.check(m.tool("list").orElseThrow(), JSON.readTree("{}"))).isEmpty();
    }
}

package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifest shipped in {@code manifests/obsidian/skill.yaml} (surefire runs in the module folder). */
class ShippedObsidianManifestTest {

    private static ManifestCheck check;

    @BeforeAll
    static void validate() throws Exception {
        check = ManifestValidator.create().validate(Files.readAllBytes(Path.of("manifests/obsidian/skill.yaml")));
    }

    private static SkillManifest manifest() {
        assertThat(check).isInstanceOf(Valid.class);
        return ((Valid) check).manifest();
    }

    @Test
    void shippedManifestIsValid() {
        assertThat(check).as(check.toString()).isInstanceOf(Valid.class);
    }

    @Test
    void bindsIdentityAndSandboxImage() {
        SkillManifest m = manifest();

        assertThat(m.id()).isEqualTo("obsidian");
        assertThat(m.version()).isEqualTo("0.1.0");
        assertThat(m.description()).startsWith("Search, read and create notes");
        assertThat(m.sandbox().image()).isEqualTo("skill-jre");
    }

    @Test
    void declaresFourToolsWithTheirEffects() {
        assertThat(manifest().tools())
                .extracting(ToolDeclaration::name, ToolDeclaration::effect)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("search", Effect.READ),
                        org.assertj.core.groups.Tuple.tuple("search_content", Effect.READ),
                        org.assertj.core.groups.Tuple.tuple("read", Effect.READ),
                        org.assertj.core.groups.Tuple.tuple("create", Effect.WRITE));
    }

    @Test
    void toolInputsAreObjectSchemasWithTheirRequiredFields() {
        SkillManifest m = manifest();

        assertThat(m.tool("search").orElseThrow().input().path("required").toString()).isEqualTo("[\"query\"]");
        assertThat(m.tool("read").orElseThrow().input().path("required").toString()).isEqualTo("[\"path\"]");
        assertThat(m.tool("create").orElseThrow().input().path("required").toString()).isEqualTo("[\"path\",\"content\"]");
        assertThat(m.tool("create").orElseThrow().input().path("properties").path("overwrite").path("type").asText())
                .isEqualTo("boolean");
        assertThat(m.tools()).allSatisfy(t -> {
            assertThat(t.input().path("type").asText()).isEqualTo("object");
            assertThat(t.input().path("additionalProperties").asBoolean(true)).isFalse();
        });
        assertThat(m.tool("delete")).isEmpty();
    }

    @Test
    void permissionsAreWorkspaceReadWriteNoSecretsAndTheStatedLimits() {
        SkillManifest m = manifest();

        assertThat(m.permissions().workspace()).isEqualTo(WorkspaceAccess.RW);
        assertThat(m.permissions().secrets()).isEmpty();
        assertThat(m.permissions().resources().memoryBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(m.permissions().resources().timeoutDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.permissions().resources().cpus()).isEqualTo(1.0);
        assertThat(m.permissions().resources().pids()).isEqualTo(64);
    }

    @Test
    void networkIsNone() {
        SkillManifest m = manifest();

        assertThat(m.network().isNone()).isTrue();
        assertThat(m.network().allow()).isEmpty();
    }
}

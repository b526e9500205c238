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
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The manifest shipped in {@code manifests/web/skill.yaml} (surefire runs in the module folder). */
class ShippedWebManifestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ManifestCheck check;

    @BeforeAll
    static void validate() throws Exception {
        check = ManifestValidator.create().validate(Files.readAllBytes(Path.of("manifests/web/skill.yaml")));
    }

    private static SkillManifest manifest() {
        assertThat(check).as(check.toString()).isInstanceOf(Valid.class);
        return ((Valid) check).manifest();
    }

    @Test
    void isValidWithFetchAndSearchAsReadTools() {
        SkillManifest m = manifest();
        assertThat(m.id()).isEqualTo("web");
        assertThat(m.version()).isEqualTo("0.1.0");
        assertThat(m.tools()).extracting(ToolDeclaration::name, ToolDeclaration::effect)
                .containsExactly(tuple("fetch", Effect.READ), tuple("search", Effect.READ));
    }

    @Test
    void reachesOnlyWhatTheOperatorGrantsAndNoWorkspaceOrSecrets() {
        SkillManifest m = manifest();
        assertThat(m.network().isNone()).isFalse();
        assertThat(m.network().allow()).as("no fixed site: the operator chooses them").isEmpty();
        assertThat(m.network().grants()).extracting(g -> g.setting(), g -> g.anyHost())
                .containsExactly(tuple("sites", true), tuple("search_url", false));
        assertThat(m.network().grants().get(1).schemes()).containsExactly("http", "https");
        assertThat(m.settingsSchema()).isPresent();
        assertThat(m.permissions().workspace()).isEqualTo(WorkspaceAccess.NONE);
        assertThat(m.permissions().secrets()).isEmpty();
    }

    @Test
    void fetchTakesOnlyHttpUrls() throws Exception {
        ToolArguments args = ToolArguments.create();
        ToolDeclaration fetch = manifest().tool("fetch").orElseThrow();
        assertThat(args.check(fetch, JSON.readTree("{\"url\":\"https://example.org/a?b=c\",\"max_chars\":1000}"))).isEmpty();
        assertThat(args.check(fetch, JSON.readTree("{\"url\":\"HTTP://example.org/\",\"raw\":true}"))).isEmpty();
        for (String bad : List.of("{\"url\":\"file:///etc/passwd\"}", "{\"url\":\"ftp://example.org/x\"}", "{}",
                "{\"url\":\"https://example.org/\",\"headers\":{}}", "{\"url\":\"https://example.org/\",\"max_chars\":0}")) {
            assertThat(args.check(fetch, JSON.readTree(bad))).as(bad).isNotEmpty();
        }
        ToolDeclaration search = manifest().tool("search").orElseThrow();
        assertThat(args.check(search, JSON.readTree("{\"query\":\"lighthouse\",\"limit\":5}"))).isEmpty();
        assertThat(args.check(search, JSON.readTree("{\"query\":\"\"}"))).isNotEmpty();
        assertThat(args.check(search, JSON.readTree("{\"query\":\"x\",\"limit\":21}"))).isNotEmpty();
    }
}

package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.manifests.ManifestCheck.Violation;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tool-call arguments checked against the shipped obsidian manifest's input schemas. */
class ToolArgumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SkillManifest obsidian;

    private final ToolArguments arguments = ToolArguments.create();

    @BeforeAll
    static void loadManifest() throws Exception {
        ManifestCheck c = ManifestValidator.create().validate(Files.readAllBytes(Path.of("manifests/obsidian/skill.yaml")));
        assertThat(c).isInstanceOf(Valid.class);
        obsidian = ((Valid) c).manifest();
    }

    private static ToolDeclaration tool(String name) {
        return obsidian.tool(name).orElseThrow();
    }

    private List<Violation> check(String tool, String json) throws Exception {
        JsonNode args = JSON.readTree(json);
        return arguments.check(tool(tool), args);
    }

    @Test
    void validSearchArgumentsHaveNoViolations() throws Exception {
        assertThat(check("search", "{\"query\":\"meeting\",\"limit\":10}")).isEmpty();
        assertThat(check("search", "{\"query\":\"meeting\"}")).isEmpty();
    }

    @Test
    void missingQueryIsAViolationAtTheRoot() throws Exception {
        assertThat(check("search", "{}")).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$");
            assertThat(v.reason()).contains("required").contains("'query'");
        });
    }

    @Test
    void queryOfTheWrongTypeIsAViolationAtQuery() throws Exception {
        assertThat(check("search", "{\"query\":42}")).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$.query");
            assertThat(v.reason()).contains("integer found, string expected");
        });
    }

    @Test
    void limitBelowTheMinimumIsAViolationAtLimit() throws Exception {
        assertThat(check("search_content", "{\"query\":\"x\",\"limit\":0}")).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$.limit");
            assertThat(v.reason()).contains("minimum value of 1");
        });
    }

    @Test
    void undeclaredArgumentIsAViolationNamingIt() throws Exception {
        assertThat(check("read", "{\"path\":\"a.md\",\"mode\":\"raw\"}")).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$");
            assertThat(v.reason()).contains("'mode'");
        });
    }

    @Test
    void createReportsEveryViolation() throws Exception {
        assertThat(check("create", "{\"path\":\"\",\"overwrite\":\"yes\"}"))
                .extracting(Violation::path)
                .containsExactlyInAnyOrder("$", "$.path", "$.overwrite");
    }

    @Test
    void theSameToolCheckedTwiceGivesTheSameAnswer() throws Exception {
        assertThat(check("search", "{}")).isEqualTo(check("search", "{}"));
        assertThat(check("search", "{\"query\":\"ok\"}")).isEmpty();
    }
}

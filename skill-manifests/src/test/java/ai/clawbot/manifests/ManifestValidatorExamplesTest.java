package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A tool's {@code examples} are calls the gateway would accept: each one is checked against the tool's input. */
class ManifestValidatorExamplesTest {

    private final ManifestValidator validator = ManifestValidator.create();

    private static String withExamples(String examples) {
        String from = "    effect: read\n";
        assertThat(ManifestValidatorInvalidTest.BASE).contains(from);
        return ManifestValidatorInvalidTest.BASE.replace(from, from + "    examples: " + examples + "\n");
    }

    private ManifestCheck check(String yaml) {
        return validator.validate(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validExamplesAreBoundInOrder() {
        ManifestCheck c = check(withExamples("[{query: notes}, {query: plans}]"));

        assertThat(c).isInstanceOfSatisfying(Valid.class, v -> assertThat(v.manifest().tool("lookup").orElseThrow().examples())
                .extracting(e -> e.path("query").asText()).containsExactly("notes", "plans"));
        assertThat(((Valid) c).manifest().tool("store").orElseThrow().examples()).isEmpty();
    }

    @Test
    void anExampleMissingARequiredArgumentIsRefusedWithItsPath() {
        ManifestCheck c = check(withExamples("[{query: ok}, {limit: 3}]"));

        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$.tools[0].examples[1]");
            assertThat(v.reason()).startsWith("example does not match the tool's input schema: ").contains("query");
        }));
    }

    @Test
    void anExampleWithAWronglyTypedArgumentNamesTheArgument() {
        ManifestCheck c = check(withExamples("[{query: 7}]"));

        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .extracting(ManifestCheck.Violation::path).containsExactly("$.tools[0].examples[0].query"));
    }

    @Test
    void anExampleThatIsNotAnObjectIsRefusedByTheSchema() {
        ManifestCheck c = check(withExamples("[\"notes\"]"));

        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .extracting(ManifestCheck.Violation::path).containsExactly("$.tools[0].examples[0]"));
    }
}

package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A tool's {@code approval.preview} names a read tool of the same skill that previews nothing itself: the gateway
 * runs it before anyone approved, so a preview that could act is refused when the manifest is validated.
 */
class ManifestValidatorApprovalPreviewTest {

    private final ManifestValidator validator = ManifestValidator.create();

    /** BASE's write tool {@code store} with an approval preview, and a third tool {@code peek} of the given effect. */
    private ManifestCheck check(String preview, String peekEffect) {
        String from = "    effect: write\n";
        assertThat(ManifestValidatorInvalidTest.BASE).contains(from);
        String yaml = ManifestValidatorInvalidTest.BASE.replace(from, from + "    approval: {preview: " + preview + "}\n")
                .replace("sandbox:\n", "  - name: peek\n    description: Show what store would do.\n    effect: "
                        + peekEffect + "\n    input:\n      type: object\nsandbox:\n");
        return validator.validate(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReadToolOfTheSkillIsBoundAsThePreviewAndMarkedAsSuch() {
        ManifestCheck c = check("peek", "read");

        assertThat(c).as(c.toString()).isInstanceOfSatisfying(Valid.class, v -> {
            assertThat(v.manifest().tool("store").orElseThrow().previewTool()).contains("peek");
            assertThat(v.manifest().isPreviewTool("peek")).isTrue();
            assertThat(v.manifest().isPreviewTool("store")).isFalse();
            assertThat(v.manifest().isPreviewTool("lookup")).isFalse();
        });
    }

    @Test
    void aPreviewThatIsNotReadOnlyIsRefused() {
        ManifestCheck c = check("peek", "external");

        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$.tools[1].approval.preview");
            assertThat(v.reason()).contains("must have effect read").contains("external");
        }));
    }

    @Test
    void anUnknownOrSelfPreviewIsRefused() {
        assertThat(check("missing", "read")).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .singleElement().satisfies(v -> assertThat(v.reason()).contains("no tool 'missing'")));
        assertThat(check("store", "read")).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .singleElement().satisfies(v -> assertThat(v.reason()).contains("its own preview")));
    }

    @Test
    void aPreviewFieldTheSchemaDoesNotKnowIsRefused() {
        String from = "    effect: write\n";
        String yaml = ManifestValidatorInvalidTest.BASE.replace(from, from + "    approval: {preview: lookup, skip: true}\n");
        ManifestCheck c = validator.validate(yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .extracting(ManifestCheck.Violation::path).anyMatch(p -> p.startsWith("$.tools[1].approval")));
    }
}

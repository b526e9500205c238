package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The image families: the schema, {@link ImageFamilies} and the recipe files name the same ones. */
class ImageFamiliesTest {

    private static final Path RECIPES = Path.of(System.getProperty("user.dir")).getParent().resolve("sandbox/images/recipes");

    @Test
    void theSchemaEnumIsTheKnownFamiliesPlusTheAliases() throws Exception {
        JsonNode schema;
        try (InputStream in = ImageFamilies.class.getResourceAsStream("/ai/clawbot/manifests/skill-manifest.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        schema.at("/properties/sandbox/properties/image/enum").forEach(n -> names.add(n.asText()));
        List<String> expected = new ArrayList<>(ImageFamilies.KNOWN);
        expected.addAll(ImageFamilies.ALIASES.keySet());
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyFamilyHasExactlyOneRecipe() throws Exception {
        try (Stream<Path> files = Files.list(RECIPES)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ImageFamilies.KNOWN.stream().map(f -> f + ".recipe").toList());
        }
    }

    @Test
    void aliasesAndFamiliesResolve() {
        assertThat(ImageFamilies.familyOf("clawbot/skill-jre:17")).contains("skill-jre");
        assertThat(ImageFamilies.familyOf("skill-stt")).contains("skill-stt");
        assertThat(ImageFamilies.familyOf("clawbot/skill-node:17")).isEmpty();
        assertThat(ImageFamilies.familyOf(null)).isEmpty();
    }

    @Test
    void anUnknownFamilyIsOneViolationAtItsPathListingTheKnownOnes() {
        String yaml = ManifestValidatorInvalidTest.BASE.replace("image: clawbot/skill-jre:17", "image: skill-python");
        ManifestCheck c = ManifestValidator.create().validate(yaml.getBytes(StandardCharsets.UTF_8));

        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo(ManifestValidator.IMAGE_PATH);
            assertThat(v.reason()).isEqualTo("unknown image family 'skill-python' (known families: skill-jre, skill-node, "
                    + "skill-stt; the legacy name clawbot/skill-jre:17 means skill-jre)");
        }));
    }

    @Test
    void aFamilyNameValidates() {
        for (String family : ImageFamilies.KNOWN) {
            String yaml = ManifestValidatorInvalidTest.BASE.replace("image: clawbot/skill-jre:17", "image: " + family);
            assertThat(ManifestValidator.create().validate(yaml.getBytes(StandardCharsets.UTF_8))).as(family).isInstanceOf(Valid.class);
        }
    }
}

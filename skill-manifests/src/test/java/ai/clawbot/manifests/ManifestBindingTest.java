package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifest binder (by hand, for start-up time) gives exactly the records Jackson's record binding gives, for every
 * manifest this repository ships: a field the binder forgot would differ here.
 */
class ManifestBindingTest {

    private static final ObjectMapper JACKSON = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    static Stream<Path> shipped() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("manifests");
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.filter(p -> p.getFileName().toString().equals("skill.yaml")).sorted().toList();
        }
        assertThat(all).hasSizeGreaterThanOrEqualTo(10);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void theBinderAgreesWithJacksonsRecordBinding(Path manifest) throws Exception {
        JsonNode tree = ManifestReader.readTree(Files.newInputStream(manifest));
        assertThat(ManifestValidator.create().validate(tree)).isInstanceOf(ManifestCheck.Valid.class);

        SkillManifest byHand = ManifestReader.bind(tree);

        assertThat(byHand).isEqualTo(JACKSON.treeToValue(tree, SkillManifest.class));
        assertThat(byHand.tools()).isNotEmpty();
    }
}

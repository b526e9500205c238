package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Valid;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every tool of every shipped skill carries at least one example: the skill-testkit contract calls each one. */
class ShippedExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"obsidian", "workspace", "web", "gemini", "onepassword", "whisper", "whisper-api", "himalaya"})
    void everyToolHasAValidExample(String skill) throws Exception {
        byte[] yaml = Files.readAllBytes(Path.of("manifests", skill, "skill.yaml"));

        ManifestCheck c = ManifestValidator.create().validate(yaml);

        assertThat(c).as(c.toString()).isInstanceOf(Valid.class);
        assertThat(((Valid) c).manifest().tools()).allSatisfy(t -> assertThat(t.examples()).as(t.name()).isNotEmpty());
    }
}

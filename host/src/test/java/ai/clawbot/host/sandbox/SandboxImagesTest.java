package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.testkit.DockerRequired;
import com.github.dockerjava.api.DockerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipe hashes (the image tags) and the family → local image resolution at dispatch. */
class SandboxImagesTest {

    @TempDir
    Path tmp;

    /** What build-images.sh computes: sha256sum of rootfs.sh then the recipe, 16 hex digits. */
    private static String shellHash(Path dir, String family) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "cat rootfs.sh recipes/" + family + ".recipe | sha256sum | cut -c1-16")
                .directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void theJavaHashIsTheScriptsHashAndChangesWhenTheRecipeChanges() throws Exception {
        ImageRecipe.extractBuilder(tmp);
        for (String family : ai.clawbot.manifests.ImageFamilies.KNOWN) {
            assertThat(ImageRecipe.of(family).hash()).as(family).matches("[0-9a-f]{16}").isEqualTo(shellHash(tmp, family));
        }
        Path recipe = tmp.resolve("recipes/skill-node.recipe");
        byte[] rootfs = Files.readAllBytes(tmp.resolve("rootfs.sh"));
        String before = ImageRecipe.hash(rootfs, Files.readAllBytes(recipe));
        Files.writeString(recipe, Files.readString(recipe).replace("nodejs", "nodejs npm"));
        String after = ImageRecipe.hash(rootfs, Files.readAllBytes(recipe));
        assertThat(after).isNotEqualTo(before).isEqualTo(shellHash(tmp, "skill-node"));
        Files.writeString(tmp.resolve("rootfs.sh"), Files.readString(tmp.resolve("rootfs.sh")) + "\n# a changed build step\n");
        assertThat(ImageRecipe.hash(Files.readAllBytes(tmp.resolve("rootfs.sh")), Files.readAllBytes(recipe)))
                .as("a changed build step makes every family stale").isNotEqualTo(after);
    }

    @Test
    void familiesAndTheLegacyNameMapToTags() {
        ImageRecipe jre = ImageRecipe.of("skill-jre");
        assertThat(jre.tag()).isEqualTo("clawbot/skill-jre:" + jre.hash());
        assertThat(ImageRecipe.of("clawbot/skill-jre:17")).isEqualTo(jre);
        assertThat(ImageRecipe.of("skill-stt").hash()).isNotEqualTo(jre.hash());
        assertThatThrownBy(() -> ImageRecipe.of("skill-python")).hasMessageContaining("skill-jre, skill-node, skill-stt");
    }

    @Test
    void aMissingAStaleAndAnUnknownImageEachSayWhatToRun() {
        DockerRequired.requireFamilies("skill-jre");
        DockerClient docker = DockerClients.create();

        assertThat(SandboxImages.resolve(docker, "clawbot/skill-jre:17")).isInstanceOfSatisfying(SandboxImages.Resolution.Ready.class,
                r -> assertThat(r.imageId()).isEqualTo(docker.inspectImageCmd(ImageRecipe.of("skill-jre").tag()).exec().getId()));

        // A recipe whose image was never built on this engine.
        ImageRecipe never = new ImageRecipe("skill-never-built", "0123456789abcdef");
        assertThat(SandboxImages.resolve(docker, never)).isInstanceOfSatisfying(SandboxImages.Resolution.Unavailable.class, u -> {
            assertThat(u.code()).isEqualTo("SANDBOX_IMAGE_MISSING");
            assertThat(u.message()).contains("clawbot/skill-never-built:0123456789abcdef")
                    .endsWith("build it with: claw sandbox build skill-never-built");
        });

        // The recipe moved on: the image built from the current skill-jre recipe is now an older one.
        ImageRecipe newer = new ImageRecipe("skill-jre", "ffffffffffffffff");
        assertThat(SandboxImages.resolve(docker, newer)).isInstanceOfSatisfying(SandboxImages.Resolution.Unavailable.class, u -> {
            assertThat(u.code()).isEqualTo("SANDBOX_IMAGE_STALE");
            assertThat(u.message()).contains(ImageRecipe.of("skill-jre").tag()).contains("clawbot/skill-jre:ffffffffffffffff")
                    .endsWith("rebuild it with: claw sandbox build skill-jre");
        });

        assertThat(SandboxImages.resolve(docker, "evil/image:latest")).isInstanceOfSatisfying(SandboxImages.Resolution.Unavailable.class,
                u -> assertThat(u.code()).isEqualTo("SANDBOX_IMAGE_UNKNOWN"));
    }
}

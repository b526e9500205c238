package ai.clawbot.host.sandbox;

import ai.clawbot.manifests.ImageFamilies;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a manifest's image family to the id of its current local image: the one tagged with the hash
 * of the recipe this host ships. An image built from another recipe is stale and never used.
 */
public final class SandboxImages {

    private SandboxImages() {
    }

    /** The outcome of resolving a family on this Docker engine. */
    public sealed interface Resolution {

        /** The current image: create containers by {@code imageId}. */
        record Ready(ImageRecipe recipe, String imageId) implements Resolution {
        }

        /**
         * No usable image; {@code code} is {@code SANDBOX_IMAGE_MISSING}, {@code SANDBOX_IMAGE_STALE} or
         * {@code SANDBOX_IMAGE_UNKNOWN}, and the message names the command that fixes it.
         */
        record Unavailable(String code, String message) implements Resolution {
        }
    }

    public static Resolution resolve(DockerClient docker, String image) {
        if (ImageFamilies.familyOf(image).isEmpty()) {
            return new Resolution.Unavailable("SANDBOX_IMAGE_UNKNOWN", ImageFamilies.unknown(image));
        }
        return resolve(docker, ImageRecipe.of(image));
    }

    public static Resolution resolve(DockerClient docker, ImageRecipe recipe) {
        try {
            return new Resolution.Ready(recipe, docker.inspectImageCmd(recipe.tag()).exec().getId());
        } catch (NotFoundException e) {
            List<String> stale = staleTags(docker, recipe);
            String build = "claw sandbox build " + recipe.family();
            if (!stale.isEmpty()) {
                return new Resolution.Unavailable("SANDBOX_IMAGE_STALE", "sandbox image family " + recipe.family()
                        + " is stale on this machine (" + String.join(", ", stale) + " was built from another recipe; this gateway needs "
                        + recipe.tag() + "); rebuild it with: " + build);
            }
            return new Resolution.Unavailable("SANDBOX_IMAGE_MISSING", "sandbox image family " + recipe.family()
                    + " is not built on this machine (this gateway needs " + recipe.tag() + "); build it with: " + build);
        }
    }

    /** Tags of this family's repository other than the current one. */
    static List<String> staleTags(DockerClient docker, ImageRecipe recipe) {
        List<String> out = new ArrayList<>();
        for (Image i : docker.listImagesCmd().withReferenceFilter(recipe.repository()).exec()) {
            if (i.getRepoTags() == null) {
                continue;
            }
            for (String t : i.getRepoTags()) {
                if (t.startsWith(recipe.repository() + ":") && !t.equals(recipe.tag())) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}

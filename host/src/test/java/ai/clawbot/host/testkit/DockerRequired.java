package ai.clawbot.host.testkit;

import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxImages;
import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that need a Docker engine and the sandbox image: skipped on a machine without them, but a
 * <em>failure</em> when {@code CLAW_REQUIRE_DOCKER=1} (CI sets it), so a missing engine is never hidden.
 */
public final class DockerRequired implements BeforeAllCallback {

    /** The image family every bundled skill runs in. */
    public static final String FAMILY = "skill-jre";
    /** Its current local tag (clawbot/skill-jre:HASH of the recipe this build ships). */
    public static final String IMAGE = ai.clawbot.host.sandbox.ImageRecipe.of(FAMILY).tag();

    @Override
    public void beforeAll(ExtensionContext context) {
        String problem = problem();
        if (problem == null) {
            return;
        }
        if ("1".equals(System.getenv("CLAW_REQUIRE_DOCKER"))) {
            throw new AssertionError("CLAW_REQUIRE_DOCKER=1 but " + problem);
        }
        Assumptions.abort("skipped: " + problem + " (set CLAW_REQUIRE_DOCKER=1 to make this a failure)");
    }

    /** Fails (CLAW_REQUIRE_DOCKER=1) or skips unless the engine answers and every family's current image is built. */
    public static void requireFamilies(String... families) {
        String problem = problem(families);
        if (problem == null) {
            return;
        }
        if ("1".equals(System.getenv("CLAW_REQUIRE_DOCKER"))) {
            throw new AssertionError("CLAW_REQUIRE_DOCKER=1 but " + problem);
        }
        Assumptions.abort("skipped: " + problem + " (set CLAW_REQUIRE_DOCKER=1 to make this a failure)");
    }

    private static String problem(String... families) {
        DockerClient docker = DockerClients.create();
        if (!DockerClients.available(docker)) {
            return "no Docker engine answers";
        }
        for (String family : families.length == 0 ? new String[] {FAMILY} : families) {
            if (SandboxImages.resolve(docker, family) instanceof SandboxImages.Resolution.Unavailable u) {
                return u.message() + " (or run sandbox/images/build-images.sh " + family + ")";
            }
        }
        return null;
    }
}

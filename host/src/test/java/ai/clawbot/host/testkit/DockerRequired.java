package ai.clawbot.host.testkit;

import ai.clawbot.host.sandbox.DockerClients;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that need a Docker engine and the sandbox image: skipped on a machine without them, but a
 * <em>failure</em> when {@code CLAW_REQUIRE_DOCKER=1} (CI sets it), so a missing engine is never hidden.
 */
public final class DockerRequired implements BeforeAllCallback {

    public static final String IMAGE = "clawbot/skill-jre:17";

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

    private static String problem() {
        DockerClient docker = DockerClients.create();
        if (!DockerClients.available(docker)) {
            return "no Docker engine answers";
        }
        try {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (NotFoundException e) {
            return "sandbox image " + IMAGE + " is not built (run sandbox/images/build-images.sh)";
        }
        return null;
    }
}

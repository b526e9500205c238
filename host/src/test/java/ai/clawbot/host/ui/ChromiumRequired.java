package ai.clawbot.host.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For browser tests: Debian's {@code chromium} and {@code chromium-driver} must be installed. Skipped on a machine
 * without them, but a <em>failure</em> when {@code CLAW_REQUIRE_DOCKER=1} (CI sets it and installs both), like
 * {@link ai.clawbot.host.testkit.DockerRequired}: a missing browser never hides the UI tests in CI.
 */
public final class ChromiumRequired implements BeforeAllCallback {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Override
    public void beforeAll(ExtensionContext context) {
        require(problem(CHROMIUM, CHROMEDRIVER), System.getenv("CLAW_REQUIRE_DOCKER"));
    }

    /** Returns when nothing is missing; else a failure when required ({@code "1"}), a skip when not. */
    static void require(String problem, String requireDocker) {
        if (problem == null) {
            return;
        }
        if ("1".equals(requireDocker)) {
            throw new AssertionError("CLAW_REQUIRE_DOCKER=1 but " + problem);
        }
        Assumptions.abort("skipped: " + problem + " (apt-get install chromium chromium-driver; set CLAW_REQUIRE_DOCKER=1 "
                + "to make this a failure)");
    }

    static String problem(Path chromium, Path chromedriver) {
        if (!Files.isExecutable(chromium)) {
            return chromium + " is missing (Debian package chromium)";
        }
        if (!Files.isExecutable(chromedriver)) {
            return chromedriver + " is missing (Debian package chromium-driver)";
        }
        return null;
    }
}

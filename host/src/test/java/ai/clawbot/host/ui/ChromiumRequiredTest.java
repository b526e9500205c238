package ai.clawbot.host.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** A missing browser fails the UI tests in CI (CLAW_REQUIRE_DOCKER=1) and only skips them elsewhere. */
class ChromiumRequiredTest {

    @Test
    void aMissingBrowserOrDriverFailsWhenRequiredAndSkipsOtherwise(@TempDir Path dir) throws Exception {
        Path browser = Files.createFile(dir.resolve("chromium"));
        browser.toFile().setExecutable(true);
        Path absent = dir.resolve("chromedriver");

        String problem = ChromiumRequired.problem(browser, absent);
        assertThat(problem).contains("chromedriver").contains("chromium-driver");
        assertThat(ChromiumRequired.problem(absent, browser)).contains("Debian package chromium");
        assertThat(ChromiumRequired.problem(browser, browser)).isNull();

        assertThatThrownBy(() -> ChromiumRequired.require(problem, "1")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("CLAW_REQUIRE_DOCKER=1").hasMessageContaining("chromedriver");
        assertThatThrownBy(() -> ChromiumRequired.require(problem, null)).isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> ChromiumRequired.require(problem, "0")).isInstanceOf(TestAbortedException.class);
        ChromiumRequired.require(null, "1"); // nothing missing: the tests run
    }
}

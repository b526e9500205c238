package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @Test
    void parsesTheParts() {
        assertThat(SemVer.parse("1.22.333-rc.1")).isEqualTo(new SemVer(1, 22, 333, "rc.1"));
        assertThat(SemVer.parse("0.1.0")).isEqualTo(new SemVer(0, 1, 0, null));
        assertThat(SemVer.parse("1.22.333-rc.1").toString()).isEqualTo("1.22.333-rc.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.0.0.0", "01.0.0", "1.0.0+build", "v1.0.0", "", "1.0.0-"})
    void refusesWhatIsNotASemanticVersion(String s) {
        assertThat(SemVer.isValid(s)).isFalse();
        assertThatThrownBy(() -> SemVer.parse(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a semantic version");
    }

    @Test
    void ordersAsSemver2Example() {
        // The precedence example of semver.org, section 11.
        List<String> expected = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0");
        List<SemVer> shuffled = new ArrayList<>(expected.stream().map(SemVer::parse).toList());
        Collections.reverse(shuffled);
        Collections.swap(shuffled, 0, 5);

        Collections.sort(shuffled);

        assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(expected);
    }

    /**
     * Regression test (was a bug, now fixed): SemVer.compareTo, line 39, compares numeric pre-release
     * identifiers with Long.parseLong, so an identifier longer than 18 digits (allowed by the regex and by
     * semver 2.0, which puts no size limit on numeric identifiers) throws NumberFormatException. Through
     * PluginVerifier.verify (minimum-version check) this escapes as a RuntimeException instead of a
     * Verification result whenever the trust store holds a minimum of the same major.minor.patch.
     */
    @Test
    void hugeNumericPreReleaseIdentifiersCompareNumerically() {
        SemVer huge = SemVer.parse("1.0.0-99999999999999999999");
        SemVer small = SemVer.parse("1.0.0-1");

        assertThat(SemVer.isValid("1.0.0-99999999999999999999")).isTrue();
        assertThat(huge.compareTo(small)).isPositive();
    }
}

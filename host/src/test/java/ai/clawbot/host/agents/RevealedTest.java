package ai.clawbot.host.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Revealed secrets are masked whole, whatever order they were revealed in. */
class RevealedTest {

    @Test
    void aShortSecretInsideALongerOneLeavesNoPartOfTheLongerShowing() {
        String text = "key abcdef and pin abcd";
        assertThat(Revealed.scrub(List.of("abcd", "abcdef"), text)).isEqualTo("key [redacted secret] and pin [redacted secret]");
        assertThat(Revealed.scrub(List.of("abcdef", "abcd"), text)).isEqualTo("key [redacted secret] and pin [redacted secret]");
    }
}

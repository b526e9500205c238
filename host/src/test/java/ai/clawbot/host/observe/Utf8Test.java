package ai.clawbot.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void lengthMatchesTheEncoderForOneTwoThreeAndFourByteCharacters() {
        for (String s : new String[] {"", "ascii", "é", "€uro", "😀 smile 😀", "mixé€😀"}) {
            assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void truncateKeepsWholeCharactersWithinTheBudget() {
        String s = "ab😀é";
        assertThat(Utf8.truncate(s, 100)).isSameAs(s);
        assertThat(Utf8.truncate(s, 2)).isEqualTo("ab");
        assertThat(Utf8.truncate(s, 5)).isEqualTo("ab"); // the 4-byte emoji does not fit, and is not split
        assertThat(Utf8.truncate(s, 6)).isEqualTo("ab😀");
        assertThat(Utf8.truncate(s, 7)).isEqualTo("ab😀");
        assertThat(Utf8.truncate(s, 8)).isEqualTo("ab😀é");
        assertThat(Utf8.truncate(s, 0)).isEmpty();
    }
}

package ai.clawbot.host.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CooldownsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Cooldowns cooldowns = new Cooldowns(clock, Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    void doublesPerConsecutiveFailureUpToTheCapAndSuccessResets() {
        long[] expectedMinutes = {1, 2, 4, 8, 16, 32, 60, 60};
        for (long minutes : expectedMinutes) {
            assertThat(cooldowns.recordFailure("p")).isEqualTo(Duration.ofMinutes(minutes));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(cooldowns.recordFailure("p")).as("no overflow after many failures").isEqualTo(Duration.ofHours(1));
        }
        assertThat(cooldowns.remaining("other")).isEmpty();

        cooldowns.recordSuccess("p");
        assertThat(cooldowns.remaining("p")).isEmpty();
        assertThat(cooldowns.recordFailure("p")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void remainingCountsDownWithTheClock() {
        cooldowns.recordFailure("p");
        clock.advance(Duration.ofSeconds(45));
        assertThat(cooldowns.remaining("p")).contains(Duration.ofSeconds(15));
        clock.advance(Duration.ofSeconds(15));
        assertThat(cooldowns.remaining("p")).isEmpty();
        assertThat(cooldowns.active()).isEmpty();
    }
}

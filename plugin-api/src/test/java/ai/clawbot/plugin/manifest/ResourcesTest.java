package ai.clawbot.plugin.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    private static Resources memory(String m) {
        return new Resources(m, null, null, null);
    }

    private static Resources timeout(String t) {
        return new Resources(null, null, null, t);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
            "512k, 524288",
            "256m, 268435456",
            "2g,   2147483648",
            "2G,   2147483648",
            "' 64m ', 67108864",
            "999999g, 1073740750258176",
    })
    void memoryBytesUsesBinaryUnits(String memory, long bytes) {
        assertThat(memory(memory).memoryBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "500ms, PT0.5S",
            "30s,   PT30S",
            "2m,    PT2M",
            "1500ms, PT1.5S",
    })
    void timeoutDurationParsesMillisecondsSecondsAndMinutes(String timeout, Duration expected) {
        assertThat(timeout(timeout).timeoutDuration()).isEqualTo(expected);
    }

    @Test
    void twoMinutesIsNotTwoMilliseconds() {
        assertThat(timeout("2m").timeoutDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(timeout("2ms").timeoutDuration()).isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void timeoutInHoursIsRefused() {
        assertThatThrownBy(() -> timeout("5h").timeoutDuration())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad timeout: 5h");
    }

    @Test
    void nullFieldsTakeTheDefaults() {
        Resources r = new Resources(null, null, null, null);

        assertThat(r).isEqualTo(Resources.DEFAULT);
        assertThat(r.memory()).isEqualTo("256m");
        assertThat(r.cpus()).isEqualTo(1.0);
        assertThat(r.pids()).isEqualTo(64);
        assertThat(r.timeout()).isEqualTo("30s");
        assertThat(r.memoryBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(r.timeoutDuration()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void givenFieldsAreKeptAndOnlyTheMissingOnesDefault() {
        Resources r = new Resources("1g", 0.5, null, "500ms");

        assertThat(r.memoryBytes()).isEqualTo(1L << 30);
        assertThat(r.cpus()).isEqualTo(0.5);
        assertThat(r.pids()).isEqualTo(64);
        assertThat(r.timeoutDuration()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void permissionsDefaultToNoWorkspaceNoSecretsAndDefaultResources() {
        Permissions p = new Permissions(null, null, null);

        assertThat(p.workspace()).isEqualTo(WorkspaceAccess.NONE);
        assertThat(p.secrets()).isEmpty();
        assertThat(p.resources()).isEqualTo(Resources.DEFAULT);
    }
}

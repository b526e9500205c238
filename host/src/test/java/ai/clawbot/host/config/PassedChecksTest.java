package ai.clawbot.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a warm start may skip: only an input that passed the same check, byte for byte, under the same build; and a
 * config that changed in any way is checked (and refused) again.
 */
class PassedChecksTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPassIsRememberedAcrossStartsForTheSameBuildCheckAndBytesOnly() throws Exception {
        PassedChecks.in(dir, "build-1").record("config", bytes("{\"a\":1}"));

        PassedChecks next = PassedChecks.in(dir, "build-1");
        assertThat(next.passed("config", bytes("{\"a\":1}"))).isTrue();
        assertThat(next.passed("config", bytes("{\"a\":2}"))).as("one changed byte").isFalse();
        assertThat(next.passed("skill-manifest", bytes("{\"a\":1}"))).as("another check").isFalse();
        assertThat(PassedChecks.in(dir, "build-2").passed("config", bytes("{\"a\":1}"))).as("another build").isFalse();
        assertThat(ai.clawbot.signing.CheckMemo.NONE.passed("config", bytes("{\"a\":1}"))).isFalse();
        assertThat(Files.getPosixFilePermissions(dir.resolve("cache/passed-checks")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void theNameAndTheInputCannotBeShiftedIntoEachOther() {
        PassedChecks checks = PassedChecks.in(dir, "b");
        checks.record("conf", bytes("ig{}"));

        assertThat(checks.passed("config", bytes("{}"))).isFalse();
    }

    @Test
    void onlyTheNewestAreKeptAndABrokenFileIsIgnored() throws Exception {
        PassedChecks checks = PassedChecks.in(dir, "b");
        for (int i = 0; i <= PassedChecks.KEEP; i++) {
            checks.record("config", bytes("{\"n\":" + i + "}"));
        }
        PassedChecks next = PassedChecks.in(dir, "b");
        assertThat(next.passed("config", bytes("{\"n\":0}"))).as("the oldest was dropped").isFalse();
        assertThat(next.passed("config", bytes("{\"n\":" + PassedChecks.KEEP + "}"))).isTrue();
        assertThat(Files.readAllLines(dir.resolve("cache/passed-checks"))).hasSize(PassedChecks.KEEP);

        Files.writeString(dir.resolve("cache/passed-checks"), "not a digest\n\u0000\u0001garbage");
        assertThat(PassedChecks.in(dir, "b").passed("config", bytes("{\"n\":1}"))).isFalse();
    }

    @Test
    void aConfigThatPassedIsRememberedAndAChangedOneIsValidatedAndRefused() throws Exception {
        Path file = dir.resolve("openclaw.json");
        Function<String, String> env = name -> null;
        PassedChecks passed = PassedChecks.in(dir, "b");
        ConfigChecker checker = new ConfigChecker(file, env, passed);
        byte[] good = bytes("{ gateway: { port: 18789 } }");

        ConfigChecker.Parsed parsed = checker.parseValid(file, good);

        byte[] canonical = ConfigJson.MAPPER.writeValueAsBytes(parsed.normalized().config());
        assertThat(PassedChecks.in(dir, "b").passed(ConfigChecker.CHECK, canonical)).isTrue();
        ConfigChecker restarted = new ConfigChecker(file, env, PassedChecks.in(dir, "b"));
        assertThat(restarted.parseValid(file, good).normalized().config()).isEqualTo(parsed.normalized().config());
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        restarted.parseValid(file, bytes("{ gateway: { port: \"18789\" } }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("$.gateway.port");
    }
}

package ai.clawbot.host.gateway;

import ai.clawbot.host.config.StateDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    private StateDir state() {
        return new StateDir(dir.resolve("state"));
    }

    @Test
    void firstRunGeneratesATokenKeptOwnerOnlyAndReusesItAfterwards() throws Exception {
        GatewayConfig first = ConfigFile.resolve(state(), Map.of(), null);
        assertThat(first.token()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(first.port()).isEqualTo(18789);
        assertThat(first.bind()).isEqualTo("127.0.0.1");
        Path file = state().configFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state().root()))).isEqualTo("rwx------");
        assertThat(Files.readString(file)).contains(first.token());

        GatewayConfig second = ConfigFile.resolve(state(), Map.of(), null);
        assertThat(second.token()).isEqualTo(first.token());
    }

    @Test
    void environmentTokenWinsAndIsNotWrittenToDisk() throws Exception {
        String token = "from-the-environment-123456";
        GatewayConfig c = ConfigFile.resolve(state(), Map.of("OPENCLAW_GATEWAY_TOKEN", token), null);
        assertThat(c.token()).isEqualTo(token);
        assertThat(Files.exists(state().configFile())).isFalse();
    }

    @Test
    void portPrecedenceIsFlagThenEnvironmentThenFileThenDefault() throws Exception {
        Files.createDirectories(state().root());
        Files.writeString(state().configFile(), "{\"gateway\":{\"port\":20001,\"auth\":{\"token\":\"file-token-0123456789\"}}}");
        assertThat(ConfigFile.resolve(state(), Map.of(), null).port()).isEqualTo(20001);
        assertThat(ConfigFile.resolve(state(), Map.of("OPENCLAW_GATEWAY_PORT", "20002"), null).port()).isEqualTo(20002);
        assertThat(ConfigFile.resolve(state(), Map.of("OPENCLAW_GATEWAY_PORT", "20002"), 20003).port()).isEqualTo(20003);
        assertThat(ConfigFile.resolve(state(), Map.of(), null).token()).isEqualTo("file-token-0123456789");
    }

    @Test
    void aBadPortOrABrokenFileIsRefusedWithTheExactProblemAndTheFileLeftAlone() throws Exception {
        assertThatThrownBy(() -> ConfigFile.resolve(state(), Map.of("OPENCLAW_GATEWAY_PORT", "eighty"), null))
                .isInstanceOf(ConfigFile.ConfigException.class)
                .hasMessageContaining("OPENCLAW_GATEWAY_PORT='eighty'");
        Files.writeString(state().configFile(), "{\"gateway\": {\"port\": 1,,}}");
        assertThatThrownBy(() -> ConfigFile.resolve(state(), Map.of(), null))
                .isInstanceOf(ConfigFile.ConfigException.class)
                .hasMessageContaining("openclaw.json")
                .hasMessageContaining("not valid JSON at line 1, column 24")
                .hasMessageContaining("no last-known-good copy");
        assertThat(Files.readString(state().configFile())).isEqualTo("{\"gateway\": {\"port\": 1,,}}");
    }

    @Test
    void aLanBindKeepsTheTokenAndABindWithoutAuthOrAnUnknownBindIsRefused() throws Exception {
        Files.createDirectories(state().root());
        Files.writeString(state().configFile(), "{\"gateway\":{\"bind\":\"lan\"}}");
        GatewayConfig lan = ConfigFile.resolve(state(), Map.of(), null);
        assertThat(lan.bind()).isEqualTo("0.0.0.0");
        assertThat(lan.token()).hasSizeGreaterThanOrEqualTo(40);

        // Without a last-known-good copy (which a broken edit would otherwise fall back to), the refusal shows.
        Path lastGood = state().configFile().resolveSibling("openclaw.json.last-good");
        Files.delete(lastGood);
        Files.writeString(state().configFile(), "{\"gateway\":{\"bind\":\"lan\",\"auth\":{\"mode\":\"none\"}}}");
        assertThatThrownBy(() -> ConfigFile.resolve(state(), Map.of(), null))
                .hasMessageContaining("gateway.auth.mode");

        Files.deleteIfExists(lastGood);
        Files.writeString(state().configFile(), "{\"gateway\":{\"bind\":\"gateway.example.com\"}}");
        assertThatThrownBy(() -> ConfigFile.resolve(state(), Map.of(), null))
                .hasMessageContaining("gateway.bind");
    }
}

package ai.clawbot.host.security;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.ConfigFile;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.Claw;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code claw security audit [--json]} as the real launcher: exit status, text and JSON forms. */
class SecurityCliIT {

    @TempDir
    Path tmp;

    @Test
    void theDefaultStateWarnsOnlyAboutTheDevelopmentKeyAndExitsOne() throws Exception {
        StateDir state = new StateDir(tmp.resolve("openclaw"));
        try (Gateway gw = Gateways.start(ConfigFile.resolve(state, Map.of(), 0))) {
            // first run done: token generated, bundled plugins and key installed
        }
        Map<String, String> env = Map.of("OPENCLAW_STATE_DIR", state.root().toString());
        Claw.Result text = Claw.run(env, null, "security", "audit");
        assertThat(text.exit()).as(text.out()).isEqualTo(1);
        assertThat(text.out()).contains("WARN     trust.dev_key_trusted  the bundled development key 'dev-publisher' is trusted")
                .contains("Summary: 0 critical, 1 warn,");
        Claw.Result json = Claw.run(env, null, "security", "audit", "--json");
        JsonNode report = new ObjectMapper().readTree(json.out().substring(json.out().indexOf('{')));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(report.path("findings").get(0).path("checkId").asText()).isEqualTo("trust.dev_key_trusted");
        assertThat(report.path("findings").get(0).path("fix").asText()).contains("claw trust revoke");
    }

    @Test
    void aBadStateExitsOneAndACleanOneZero() throws Exception {
        Path state = tmp.resolve("s");
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("OPENCLAW_STATE_DIR", state.toString());
        Claw.Result clean = Claw.run(env, null, "security", "audit");
        assertThat(clean.exit()).as(clean.out()).isZero();
        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\":{\"bind\":\"lan\",\"controlUi\":{\"allowedOrigins\":[\"*\"]}}}");
        Claw.Result bad = Claw.run(env, null, "security", "audit");
        assertThat(bad.exit()).as(bad.out()).isEqualTo(1);
        assertThat(bad.out()).contains("CRITICAL gateway.control_ui.allowed_origins_wildcard").contains("WARN     gateway.bind_non_loopback");
    }
}

package ai.clawbot.host.security;

import ai.clawbot.host.wiring.Gateways;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.ConfigFile;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.ProtocolClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state folder exactly as {@code ./claw gateway} leaves it (config resolved by the CLI's own path, generated
 * token, bundled plugins and trust): the audit's only warning is the development key, by name. Also over the
 * protocol, as {@code security.audit}, admins only.
 */
class DefaultStateAuditTest {

    @TempDir
    static Path tmp;
    static StateDir state;
    static Gateway gateway;
    static GatewayConfig config;

    @BeforeAll
    static void firstRun() throws Exception {
        state = new StateDir(tmp.resolve("openclaw"));
        config = ConfigFile.resolve(state, Map.of(), 0);
        gateway = Gateways.start(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void onlyTheDevelopmentKeyIsWarnedAbout() throws Exception {
        AuditReport r;
        List<String> audited;
        try (AuditContext c = AuditContext.load(state, Map.of(), false)) {
            r = SecurityAudit.create().run(c);
            audited = c.activeSkills().stream().map(m -> m.id()).toList();
        }
        List<Finding> warned = r.findings().stream().filter(f -> f.severity().atLeast(Severity.WARN)).toList();
        assertThat(warned).as(r.toText()).extracting(Finding::checkId).containsExactly(DevKeyCheck.ID);
        assertThat(warned.get(0).title()).contains("'dev-publisher'");
        // The bundled skills are there and were audited; as shipped, only gemini reaches the network, its own API
        // (listed for the operator, not a warning); web's sites are the operator's grants, and there are none yet.
        assertThat(audited).contains("obsidian", "workspace", "web", "gemini");
        assertThat(r.withId(NetworkAllowlistCheck.ID)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.title() + " " + f.detail()).contains("gemini").contains("generativelanguage.googleapis.com:443");
        });
        assertThat(r.withId(NetworkAllowlistCheck.GRANT_ID)).isEmpty();
        assertThat(r.withId(RuncCheck.ID)).hasSize(1);
    }

    @Test
    void securityAuditOverTheProtocolIsTheSameReportForAdminsOnly() throws Exception {
        try (ProtocolClient admin = ProtocolClient.connect(gateway.webSocketUri(), config.token())) {
            JsonNode res = admin.request("security.audit", ProtocolClient.params().put("deep", false));
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
            JsonNode report = res.path("payload");
            assertThat(report.path("deep").asBoolean()).isFalse();
            assertThat(report.path("summary").path("warn").asInt()).as(report.toString()).isEqualTo(1);
            assertThat(report.path("findings").findValuesAsText("checkId")).contains(DevKeyCheck.ID)
                    .doesNotContain(SandboxContainerCheck.ID);
            JsonNode bad = admin.request("security.audit", ProtocolClient.params().put("deep", "yes"));
            assertThat(bad.at("/error/code").asText()).as(bad.toString()).isEqualTo("INVALID_REQUEST");
        }
        try (ProtocolClient reader = ProtocolClient.open(gateway.webSocketUri())) {
            assertThat(reader.sendConnect(config.token(), List.of("operator.read")).path("ok").asBoolean()).isTrue();
            JsonNode res = reader.request("security.audit", ProtocolClient.params());
            assertThat(res.at("/error/code").asText()).as(res.toString()).isEqualTo("FORBIDDEN");
        }
    }
}

package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.err;
import static ai.clawbot.host.gateway.ProtocolSuite.invalidParam;
import static ai.clawbot.host.gateway.ProtocolSuite.key;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code health}, {@code status}, {@code agents.list}, {@code skills.list}, {@code plugins.list} and
 * {@code logs.tail} (cursor paging, filters, and the gateway token never showing in any line).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SystemMethodsTest {

    private static final String WRONG = "wrong-token-fedcba9876543210";

    @TempDir
    static Path state;
    static Gateway gateway;
    static ProtocolClient c;

    @BeforeAll
    static void start() throws Exception {
        gateway = ProtocolSuite.start(state, null, new ProtocolSuite.ScriptedEngine());
        c = ProtocolSuite.client(gateway);
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void healthSaysLive() throws Exception {
        JsonNode h = ok(c.request("health"));
        assertThat(h.path("ok").asBoolean()).isTrue();
        assertThat(h.path("status").asText()).isEqualTo("live");
        assertThat(h.path("uptimeMs").asLong()).isNotNegative();
        assertThat(h.path("skills").asInt()).isNotNegative();
        ProtocolSuite.assertParamsMustBeAnObject(c, "health");
    }

    @Test
    void statusDescribesTheGateway() throws Exception {
        try (ProtocolClient other = ProtocolSuite.client(gateway)) {
            JsonNode s = ok(c.request("status"));
            assertThat(s.path("version").asText()).isEqualTo(Gateway.VERSION);
            assertThat(s.path("protocol").asInt()).isEqualTo(4);
            assertThat(s.path("connections").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(s.path("activeRuns").asInt()).isZero();
            assertThat(s.path("defaultAgentId").asText()).isEqualTo("default");
            assertThat(s.path("agents").asInt()).isEqualTo(3);
            assertThat(s.path("config").path("hash").asText()).matches("[0-9a-f]{64}");
            assertThat(s.toString()).doesNotContain(TestGateway.TOKEN);
        }
        ProtocolSuite.assertParamsMustBeAnObject(c, "status");
    }

    @Test
    void agentsListShowsTheBuiltInAgents() throws Exception {
        JsonNode a = ok(c.request("agents.list"));
        assertThat(a.path("defaultId").asText()).isEqualTo("default");
        assertThat(a.path("mainKey").asText()).isEqualTo("main");
        assertThat(a.path("agents").findValuesAsText("id")).containsExactly("default", "coder", "researcher");
        assertThat(a.path("agents").get(0).path("default").asBoolean()).isTrue();
        assertThat(a.path("agents").get(1).path("mainSessionKey").asText()).isEqualTo("agent:coder:main");
        ProtocolSuite.assertParamsMustBeAnObject(c, "agents.list");
    }

    @Test
    void skillsAndPluginsListTheBundledSignedPlugin() throws Exception {
        JsonNode skills = ok(c.request("skills.list"));
        assertThat(skills.path("skills").findValuesAsText("id")).contains("obsidian");
        assertThat(skills.path("refused")).isEmpty();
        ProtocolSuite.assertParamsMustBeAnObject(c, "skills.list");

        JsonNode plugins = ok(c.request("plugins.list"));
        JsonNode obsidian = null;
        for (JsonNode pl : plugins.path("plugins")) {
            if ("obsidian".equals(pl.path("id").asText())) {
                obsidian = pl;
            }
        }
        assertThat(obsidian).isNotNull();
        assertThat(obsidian.path("enabled").asBoolean()).isTrue();
        assertThat(obsidian.path("signer").path("keyId").asText()).isNotBlank();
        ProtocolSuite.assertParamsMustBeAnObject(c, "plugins.list");
        // Bad plugin requests are typed and change nothing.
        err(c.request("plugins.install", p()), "INVALID_REQUEST", "INVALID_PARAMS");
        err(c.request("plugins.enable", p().put("id", "Not An Id")), "INVALID_REQUEST", "INVALID_PARAMS");
        err(c.request("plugins.remove", p().put("id", "not-installed")), "NOT_FOUND", "UNKNOWN_PLUGIN");
        err(c.request("plugins.disable", p().put("id", "not-installed")), "NOT_FOUND", "UNKNOWN_PLUGIN");
        assertThat(ok(c.request("plugins.list"))).isEqualTo(plugins);
    }

    @Test
    void logsTailPagesByCursorAndFilters() throws Exception {
        JsonNode first = ok(c.request("logs.tail", p().put("limit", 5)));
        assertThat(first.path("lines").size()).isBetween(1, 5);
        long cursor = first.path("cursor").asLong();
        long newestSeen = 0;
        for (JsonNode l : first.path("lines")) {
            newestSeen = Math.max(newestSeen, l.path("cursor").asLong());
        }
        assertThat(cursor).isGreaterThanOrEqualTo(newestSeen);

        String marker = "suite marker " + key();
        Logger.getLogger("ai.clawbot.suite").warning(marker);
        JsonNode next = ok(c.request("logs.tail", p().put("cursor", cursor)));
        assertThat(next.path("reset").asBoolean()).isFalse();
        assertThat(next.path("lines").size()).isPositive();
        for (JsonNode l : next.path("lines")) {
            assertThat(l.path("cursor").asLong()).as("only later lines: %s", l).isGreaterThan(cursor);
        }
        assertThat(next.path("lines").findValuesAsText("message")).anyMatch(m -> m.contains(marker));
        // Nothing new after the last cursor (other than what this very request logs, if anything).
        JsonNode after = ok(c.request("logs.tail", p().put("cursor", next.path("cursor").asLong())));
        assertThat(after.path("lines").findValuesAsText("message")).noneMatch(m -> m.contains(marker));

        JsonNode filtered = ok(c.request("logs.tail", p().put("filter", marker).put("limit", 1000)));
        assertThat(filtered.path("lines")).hasSize(1);
        JsonNode warnings = ok(c.request("logs.tail", p().put("level", "warning").put("limit", 1000)));
        assertThat(warnings.path("lines").findValuesAsText("level")).isNotEmpty().allMatch(l -> l.equals("WARNING")
                || l.equals("SEVERE"));

        invalidParam(c.request("logs.tail", p().put("cursor", -1)), "cursor");
        invalidParam(c.request("logs.tail", p().put("cursor", "abc")), "cursor");
        invalidParam(c.request("logs.tail", p().put("cursor", 1.5)), "cursor");
        invalidParam(c.request("logs.tail", p().put("limit", 0)), "limit");
        invalidParam(c.request("logs.tail", p().put("limit", 1001)), "limit");
        invalidParam(c.request("logs.tail", p().put("filter", 3)), "filter");
    }

    @Test
    void theGatewayTokenNeverAppearsInLogs() throws Exception {
        // A refused connect logs a warning; it must not carry either token.
        try (ProtocolClient intruder = ProtocolClient.open(gateway.webSocketUri())) {
            err(intruder.sendConnect(WRONG), "INVALID_REQUEST", "AUTH_TOKEN_MISMATCH");
        }
        // Something in the process logging the token by mistake is masked too.
        Logger.getLogger("ai.clawbot.suite").warning("careless line with " + TestGateway.TOKEN + " in it");

        List<JsonNode> all = new ArrayList<>();
        long cursor = 0;
        for (int page = 0; page < 100; page++) {
            JsonNode t = ok(c.request("logs.tail", p().put("cursor", cursor).put("limit", 1000)));
            if (t.path("lines").isEmpty()) {
                break;
            }
            t.path("lines").forEach(all::add);
            cursor = t.path("cursor").asLong();
        }
        List<String> messages = all.stream().map(l -> l.path("message").asText()).toList();
        assertThat(messages).anyMatch(m -> m.contains("wrong gateway token"));
        assertThat(messages).anyMatch(m -> m.contains("careless line with"));
        for (JsonNode l : all) {
            assertThat(l.toString()).doesNotContain(TestGateway.TOKEN).doesNotContain(WRONG);
        }
        // And the newest-first form of the tail says the same.
        JsonNode newest = ok(c.request("logs.tail", p().put("limit", 1000)));
        assertThat(newest.toString()).doesNotContain(TestGateway.TOKEN).doesNotContain(WRONG);
    }
}

package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.chat;
import static ai.clawbot.host.gateway.ProtocolSuite.err;
import static ai.clawbot.host.gateway.ProtocolSuite.invalidParam;
import static ai.clawbot.host.gateway.ProtocolSuite.isLifecycle;
import static ai.clawbot.host.gateway.ProtocolSuite.key;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege (a client may ask for fewer scopes than the token grants, and is then held to them) and
 * the generic {@code idempotencyKey} de-duplication of side-effecting methods.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScopesAndIdempotencyTest {

    private static final String READ = "operator.read";
    private static final String WRITE = "operator.write";
    private static final String ADMIN = "operator.admin";

    @TempDir
    static Path state;
    static Gateway gateway;
    static ProtocolClient admin;

    @BeforeAll
    static void start() throws Exception {
        gateway = ProtocolSuite.start(state, null, new ProtocolSuite.ScriptedEngine());
        admin = ProtocolSuite.client(gateway);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String session(String name) {
        return "agent:default:" + name + "-" + key().substring(0, 8);
    }

    private static List<String> scopes(JsonNode hello) {
        List<String> out = new ArrayList<>();
        hello.path("auth").path("scopes").forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void aReadOnlyClientIsRefusedEveryWriteAndAdminMethodAndChangesNothing() throws Exception {
        String s = session("guarded");
        chat(admin, s, "keep me");
        JsonNode before = ok(admin.request("sessions.get", p().put("sessionKey", s)));
        String hash = ok(admin.request("config.get")).path("hash").asText();
        try (ProtocolClient reader = ProtocolClient.open(gateway.webSocketUri())) {
            assertThat(scopes(ok(reader.sendConnect(ai.clawbot.host.testkit.TestGateway.TOKEN, List.of(READ)))))
                    .containsExactly(READ);
            Map<String, ObjectNode> writes = new java.util.LinkedHashMap<>();
            writes.put("chat.send", p().put("sessionKey", s).put("message", "sneaky").put("idempotencyKey", key()));
            writes.put("chat.abort", p().put("sessionKey", s));
            writes.put("sessions.reset", p().put("sessionKey", s));
            writes.put("sessions.delete", p().put("sessionKey", s));
            writes.put("tools.invoke", p().put("skill", "obsidian").put("tool", "search").set("args", p().put("query", "x")));
            Map<String, ObjectNode> admins = new java.util.LinkedHashMap<>();
            admins.put("config.get", p());
            admins.put("config.schema", p());
            admins.put("config.patch", p().put("baseHash", hash).set("patch", p().set("gateway", p().put("tickIntervalMs", 5000))));
            admins.put("logs.tail", p());
            admins.put("plugins.install", p().put("source", "/tmp/none.jar").put("confirm", true));
            admins.put("plugins.remove", p().put("id", "obsidian"));
            admins.put("plugins.disable", p().put("id", "obsidian"));
            for (Map.Entry<String, ObjectNode> m : writes.entrySet()) {
                assertMissingScope(reader.request(m.getKey(), m.getValue()), WRITE);
            }
            for (Map.Entry<String, ObjectNode> m : admins.entrySet()) {
                assertMissingScope(reader.request(m.getKey(), m.getValue()), ADMIN);
            }
            // Reads work.
            for (String m : List.of("health", "status", "agents.list", "sessions.list", "skills.list", "plugins.list")) {
                ok(reader.request(m));
            }
            assertThat(ok(reader.request("chat.history", p().put("sessionKey", s))).path("messages")).hasSize(2);
            assertThat(ok(reader.request("sessions.get", p().put("sessionKey", s))).path("session"))
                    .isEqualTo(before.path("session"));
        }
        // Nothing changed: same session, same two entries, same config, obsidian still enabled.
        JsonNode after = ok(admin.request("sessions.get", p().put("sessionKey", s)));
        assertThat(after.path("session").path("sessionId")).isEqualTo(before.path("session").path("sessionId"));
        assertThat(after.path("entries")).hasSize(2);
        assertThat(ok(admin.request("config.get")).path("hash").asText()).isEqualTo(hash);
        JsonNode plugins = ok(admin.request("plugins.list")).path("plugins");
        assertThat(plugins.findValuesAsText("id")).contains("obsidian");
        plugins.forEach(pl -> assertThat(pl.path("enabled").asBoolean()).as("%s", pl).isTrue());
    }

    private static void assertMissingScope(JsonNode res, String scope) {
        JsonNode e = err(res, "FORBIDDEN", "MISSING_SCOPE");
        assertThat(e.path("details").path("missingScope").asText()).as("%s", res).isEqualTo(scope);
    }

    @Test
    void aReadOnlyClientStillReceivesChatEvents() throws Exception {
        try (ProtocolClient reader = ProtocolSuite.client(gateway, List.of(READ))) {
            String s = session("watched");
            String runId = chat(admin, s, "watch this");
            List<JsonNode> seen = reader.eventsUntil(e -> isLifecycle(e, runId, "end"), ProtocolSuite.WAIT);
            // The run's chat stream, not only its lifecycle: the deltas and the final reply with its text.
            List<JsonNode> chat = seen.stream().filter(e -> ProtocolSuite.isEvent(e, "chat")
                    && runId.equals(e.path("payload").path("runId").asText())).toList();
            assertThat(chat).as("chat events of run %s seen by a read-only client", runId)
                    .anyMatch(e -> ProtocolSuite.isChat(e, runId, "delta"));
            assertThat(chat.getLast().path("payload").path("state").asText()).isEqualTo("final");
            assertThat(chat.getLast().path("payload").path("message").path("content").path(0).path("text").asText())
                    .isEqualTo("Echo: watch this");
        }
    }

    @Test
    void adminEventsDoNotReachClientsWithoutTheAdminScope() throws Exception {
        try (ProtocolClient reader = ProtocolSuite.client(gateway, List.of(READ, WRITE));
             ProtocolClient watcher = ProtocolSuite.client(gateway)) {
            JsonNode before = ok(admin.request("config.get"));
            ObjectNode params = p().put("baseHash", before.path("hash").asText());
            params.set("patch", p().set("gateway", p().put("tickIntervalMs", 6000)));
            String hash = ok(admin.request("config.patch", params)).path("hash").asText();
            watcher.eventsUntil(e -> ProtocolSuite.isEvent(e, "config.changed")
                    && hash.equals(e.path("payload").path("hash").asText()), ProtocolSuite.WAIT);
            // A round trip on the reader's own connection: anything broadcast before it has arrived by now.
            ok(reader.request("health"));
            assertThat(reader.drainEvents()).noneMatch(e -> ProtocolSuite.isEvent(e, "config.changed"));
        }
    }

    @Test
    void aReadWriteClientMayChatButNotAdminister() throws Exception {
        try (ProtocolClient writer = ProtocolSuite.client(gateway, List.of(READ, WRITE))) {
            chat(writer, session("writer"), "hello");
            assertMissingScope(writer.request("config.get"), ADMIN);
            assertMissingScope(writer.request("logs.tail"), ADMIN);
        }
    }

    @Test
    void scopesTheTokenDoesNotGrantAreNotGranted() throws Exception {
        try (ProtocolClient c = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode hello = ok(c.sendConnect(ai.clawbot.host.testkit.TestGateway.TOKEN, List.of(READ, "operator.root", "admin")));
            assertThat(scopes(hello)).containsExactly(READ);
            assertMissingScope(c.request("config.get"), ADMIN);
        }
        try (ProtocolClient c = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode hello = ok(c.sendConnect(ai.clawbot.host.testkit.TestGateway.TOKEN, List.of("bogus")));
            assertThat(scopes(hello)).isEmpty();
            assertMissingScope(c.request("health"), READ);
        }
    }

    @Test
    void aResetWithAnIdempotencyKeyResetsOnce() throws Exception {
        String s = session("idem-reset");
        chat(admin, s, "first life");
        String original = ok(admin.request("sessions.get", p().put("sessionKey", s))).path("session").path("sessionId").asText();
        String k = key();
        JsonNode first = ok(admin.request("sessions.reset", p().put("sessionKey", s).put("idempotencyKey", k)));
        JsonNode second = ok(admin.request("sessions.reset", p().put("sessionKey", s).put("idempotencyKey", k)));
        String id = first.path("session").path("sessionId").asText();
        assertThat(id).isNotEqualTo(original);
        assertThat(second.path("session").path("sessionId").asText()).isEqualTo(id);
        assertThat(ok(admin.request("sessions.get", p().put("sessionKey", s))).path("session").path("sessionId").asText())
                .isEqualTo(id);
        assertThat(resetFiles()).filteredOn(f -> f.startsWith(original)).hasSize(1);
        assertThat(resetFiles()).filteredOn(f -> f.startsWith(id)).isEmpty();

        // The same key for other params is refused and changes nothing.
        err(admin.request("sessions.reset", p().put("sessionKey", session("other")).put("idempotencyKey", k)),
                "INVALID_REQUEST", "IDEMPOTENCY_KEY_REUSED");
        // A malformed key is refused before anything runs.
        invalidParam(admin.request("sessions.reset", p().put("sessionKey", s).put("idempotencyKey", 5)), "idempotencyKey");
        invalidParam(admin.request("sessions.reset", p().put("sessionKey", s).put("idempotencyKey", "k".repeat(201))),
                "idempotencyKey");
        assertThat(ok(admin.request("sessions.get", p().put("sessionKey", s))).path("session").path("sessionId").asText())
                .isEqualTo(id);

        // A new key resets again.
        JsonNode third = ok(admin.request("sessions.reset", p().put("sessionKey", s).put("idempotencyKey", key())));
        assertThat(third.path("session").path("sessionId").asText()).isNotEqualTo(id);
    }

    @Test
    void aFailedRequestDoesNotUseUpItsKey() throws Exception {
        String s = session("idem-delete");
        String k = key();
        err(admin.request("sessions.delete", p().put("sessionKey", s).put("idempotencyKey", k)), "NOT_FOUND", "UNKNOWN_SESSION");
        chat(admin, s, "now it exists");
        JsonNode deleted = ok(admin.request("sessions.delete", p().put("sessionKey", s).put("idempotencyKey", k)));
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        // Replayed: the first success again, not a NOT_FOUND from running twice.
        assertThat(ok(admin.request("sessions.delete", p().put("sessionKey", s).put("idempotencyKey", k)))).isEqualTo(deleted);
        err(admin.request("sessions.get", p().put("sessionKey", s)), "NOT_FOUND", "UNKNOWN_SESSION");
    }

    @Test
    void aConfigPatchWithAnIdempotencyKeyAppliesOnceAndItsRetryIsNotAConflict() throws Exception {
        JsonNode before = ok(admin.request("config.get"));
        String k = key();
        ObjectNode params = p().put("baseHash", before.path("hash").asText()).put("idempotencyKey", k);
        params.set("patch", p().set("gateway", p().put("tickIntervalMs", 4000)));
        JsonNode first = ok(admin.request("config.patch", params));
        JsonNode retry = ok(admin.request("config.patch", params));
        assertThat(retry.path("hash").asText()).isEqualTo(first.path("hash").asText()).isNotEqualTo(before.path("hash").asText());
        // Without the key the same request is a conflict: its baseHash is stale now.
        ObjectNode noKey = params.deepCopy();
        noKey.remove("idempotencyKey");
        err(admin.request("config.patch", noKey), "INVALID_REQUEST", "CONFIG_CONFLICT");
        assertThat(ok(admin.request("config.get")).path("hash").asText()).isEqualTo(first.path("hash").asText());
    }

    private static List<String> resetFiles() throws Exception {
        try (Stream<Path> files = Files.list(state.resolve("agents/default/sessions"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".jsonl.reset.")).toList();
        }
    }
}

package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.chat;
import static ai.clawbot.host.gateway.ProtocolSuite.err;
import static ai.clawbot.host.gateway.ProtocolSuite.invalidParam;
import static ai.clawbot.host.gateway.ProtocolSuite.isEvent;
import static ai.clawbot.host.gateway.ProtocolSuite.key;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static ai.clawbot.host.gateway.ProtocolSuite.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sessions.list|get|reset|delete} and {@code chat.history}: happy paths and typed refusals that change nothing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionMethodsTest {

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

    private static String name(String prefix) {
        return prefix + "-" + key().substring(0, 8);
    }

    private static List<String> keys(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("sessions").forEach(s -> out.add(s.path("key").asText()));
        return out;
    }

    @Test
    void listShowsSessionsOfEveryAgentAndFiltersAndLimits() throws Exception {
        String a = "agent:default:" + name("list");
        String b = "agent:coder:" + name("list");
        chat(c, a, "one");
        chat(c, b, "two");
        JsonNode all = ok(c.request("sessions.list"));
        assertThat(keys(all)).contains(a, b);
        assertThat(all.path("count").asInt()).isEqualTo(all.path("sessions").size());
        JsonNode row = all.path("sessions").get(keys(all).indexOf(b));
        assertThat(row.path("agentId").asText()).isEqualTo("coder");
        assertThat(row.path("sessionId").asText()).isEqualTo(ProtocolSuite.sessionIdOnDisk(state, "coder", b));
        assertThat(keys(all).get(0)).as("most recently updated first").isEqualTo(b);

        JsonNode coder = ok(c.request("sessions.list", p().put("agentId", "coder")));
        assertThat(keys(coder)).contains(b).doesNotContain(a);
        JsonNode one = ok(c.request("sessions.list", p().put("limit", 1)));
        assertThat(one.path("sessions")).hasSize(1);
        assertThat(one.path("count").asInt()).isEqualTo(all.path("count").asInt());

        invalidParam(c.request("sessions.list", p().put("limit", 0)), "limit");
        invalidParam(c.request("sessions.list", p().put("limit", "ten")), "limit");
        invalidParam(c.request("sessions.list", p().put("agentId", 5)), "agentId");
    }

    @Test
    void getReturnsTheSessionAndItsEntriesUnderEitherSpellingOfTheKey() throws Exception {
        chat(c, "main", "hello main");
        JsonNode bare = ok(c.request("sessions.get", p().put("key", "main")));
        JsonNode full = ok(c.request("sessions.get", p().put("sessionKey", "agent:default:main")));
        assertThat(bare.path("session")).isEqualTo(full.path("session"));
        assertThat(full.path("session").path("key").asText()).isEqualTo("agent:default:main");
        JsonNode entries = full.path("entries");
        assertThat(entries.size()).isGreaterThanOrEqualTo(2);
        JsonNode last = entries.get(entries.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("message");
        assertThat(last.path("role").asText()).isEqualTo("assistant");
        JsonNode limited = ok(c.request("sessions.get", p().put("sessionKey", "main").put("limit", 1))).path("entries");
        assertThat(limited).hasSize(1);
        assertThat(limited.get(0).path("id")).isEqualTo(last.path("id"));

        invalidParam(c.request("sessions.get", p()), "sessionKey");
        invalidParam(c.request("sessions.get", p().put("sessionKey", "")), "sessionKey");
        invalidParam(c.request("sessions.get", p().put("sessionKey", "agent::x")), "sessionKey");
        invalidParam(c.request("sessions.get", p().put("sessionKey", "main").put("limit", 1001)), "limit");
        err(c.request("sessions.get", p().put("sessionKey", name("never"))), "NOT_FOUND", "UNKNOWN_SESSION");
        err(c.request("sessions.get", p().put("sessionKey", "agent:ghost:main")), "NOT_FOUND", "UNKNOWN_AGENT");
    }

    @Test
    void resetStartsANewSessionAndKeepsTheOldTranscriptAside() throws Exception {
        String s = "agent:default:" + name("reset");
        chat(c, s, "before reset");
        String old = ProtocolSuite.sessionIdOnDisk(state, "default", s);
        c.drainEvents();
        JsonNode reset = ok(c.request("sessions.reset", p().put("sessionKey", s)));
        assertThat(reset.path("ok").asBoolean()).isTrue();
        String fresh = reset.path("session").path("sessionId").asText();
        assertThat(fresh).isNotBlank().isNotEqualTo(old);
        assertThat(reset.path("session").path("key").asText()).isEqualTo(s);
        assertThat(ProtocolSuite.sessionIdOnDisk(state, "default", s)).isEqualTo(fresh);
        assertThat(ok(c.request("sessions.get", p().put("sessionKey", s))).path("entries")).isEmpty();
        assertThat(ok(c.request("chat.history", p().put("sessionKey", s))).path("messages")).isEmpty();
        JsonNode changed = c.eventsUntil(e -> isEvent(e, "sessions.changed"), ProtocolSuite.WAIT).getLast();
        assertThat(changed.path("payload").path("sessionKey").asText()).isEqualTo(s);
        assertThat(changed.path("payload").path("reason").asText()).isEqualTo("reset");
        assertThat(files(old + ".jsonl.reset.")).hasSize(1);

        // Bad input changes nothing.
        JsonNode before = ok(c.request("sessions.list"));
        invalidParam(c.request("sessions.reset", p()), "sessionKey");
        invalidParam(c.request("sessions.reset", p().put("sessionKey", 42)), "sessionKey");
        err(c.request("sessions.reset", p().put("sessionKey", "agent:ghost:x")), "NOT_FOUND", "UNKNOWN_AGENT");
        assertThat(ok(c.request("sessions.list")).path("sessions")).isEqualTo(before.path("sessions"));
    }

    @Test
    void deleteRemovesTheSessionFromTheIndexOnce() throws Exception {
        String s = "agent:default:" + name("delete");
        chat(c, s, "to be deleted");
        String id = ProtocolSuite.sessionIdOnDisk(state, "default", s);
        c.drainEvents();
        // Bad input first: nothing is deleted.
        invalidParam(c.request("sessions.delete", p().put("key", 7)), "key");
        err(c.request("sessions.delete", p().put("sessionKey", "agent:ghost:x")), "NOT_FOUND", "UNKNOWN_AGENT");
        assertThat(ProtocolSuite.sessionIdOnDisk(state, "default", s)).isEqualTo(id);

        JsonNode deleted = ok(c.request("sessions.delete", p().put("sessionKey", s)));
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(deleted.path("sessionKey").asText()).isEqualTo(s);
        assertThat(ProtocolSuite.sessionIdOnDisk(state, "default", s)).isNull();
        assertThat(keys(ok(c.request("sessions.list")))).doesNotContain(s);
        err(c.request("sessions.get", p().put("sessionKey", s)), "NOT_FOUND", "UNKNOWN_SESSION");
        err(c.request("sessions.delete", p().put("sessionKey", s)), "NOT_FOUND", "UNKNOWN_SESSION");
        JsonNode changed = c.eventsUntil(e -> isEvent(e, "sessions.changed"), ProtocolSuite.WAIT).getLast();
        assertThat(changed.path("payload").path("reason").asText()).isEqualTo("deleted");
        assertThat(files(id + ".jsonl.deleted.")).hasSize(1);
    }

    @Test
    void historyReturnsTheMessagesOldestFirstAndHonoursItsLimit() throws Exception {
        String s = "agent:researcher:" + name("history");
        chat(c, s, "first");
        chat(c, s, "second");
        JsonNode h = ok(c.request("chat.history", p().put("sessionKey", s)));
        assertThat(h.path("sessionId").asText()).isEqualTo(ProtocolSuite.sessionIdOnDisk(state, "researcher", s));
        List<String> texts = new ArrayList<>();
        h.path("messages").forEach(m -> texts.add(m.path("role").asText() + ":" + text(m)));
        assertThat(texts).containsExactly("user:first", "assistant:Echo: first", "user:second", "assistant:Echo: second");
        JsonNode last = ok(c.request("chat.history", p().put("sessionKey", s).put("limit", 1))).path("messages");
        assertThat(last).hasSize(1);
        assertThat(text(last.get(0))).isEqualTo("Echo: second");
        // A session that was never used has no history (and is not created by asking).
        String never = "agent:default:" + name("never");
        JsonNode empty = ok(c.request("chat.history", p().put("sessionKey", never)));
        assertThat(empty.path("messages")).isEmpty();
        assertThat(empty.has("sessionId")).isFalse();
        assertThat(ProtocolSuite.sessionIdOnDisk(state, "default", never)).isNull();

        invalidParam(c.request("chat.history", p()), "sessionKey");
        invalidParam(c.request("chat.history", p().put("sessionKey", s).put("limit", 0)), "limit");
        err(c.request("chat.history", p().put("sessionKey", "agent:ghost:main")), "NOT_FOUND", "UNKNOWN_AGENT");
    }

    private static List<String> files(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> agents = Files.list(state.resolve("agents"))) {
            for (Path agent : agents.toList()) {
                try (Stream<Path> f = Files.list(agent.resolve("sessions"))) {
                    f.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(prefix)).forEach(out::add);
                }
            }
        }
        return out;
    }
}

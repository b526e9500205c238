package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.WAIT;
import static ai.clawbot.host.gateway.ProtocolSuite.indexOf;
import static ai.clawbot.host.gateway.ProtocolSuite.invalidParam;
import static ai.clawbot.host.gateway.ProtocolSuite.isChat;
import static ai.clawbot.host.gateway.ProtocolSuite.isEvent;
import static ai.clawbot.host.gateway.ProtocolSuite.isLifecycle;
import static ai.clawbot.host.gateway.ProtocolSuite.key;
import static ai.clawbot.host.gateway.ProtocolSuite.messages;
import static ai.clawbot.host.gateway.ProtocolSuite.ofRun;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static ai.clawbot.host.gateway.ProtocolSuite.text;
import static ai.clawbot.host.gateway.ProtocolSuite.transcript;
import static ai.clawbot.host.gateway.ProtocolSuite.untilEnd;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping runs: {@code chat.abort} ends a streaming run promptly with an {@code aborted} chat event and keeps
 * the partial reply; {@code sessions.reset} during a run stops the run before it resets. The engine streams a
 * delta every 50 ms for 10 s and honours {@code aborted()}, so a run that is not stopped shows.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatAbortTest {

    @TempDir
    static Path state;
    static Gateway gateway;

    ProtocolClient c;

    @BeforeAll
    static void start() throws Exception {
        gateway = ProtocolSuite.start(state, null, new ProtocolSuite.ScriptedEngine());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        c = ProtocolSuite.client(gateway);
    }

    @AfterEach
    void disconnect() {
        c.close();
    }

    private static String session(String name) {
        return "agent:default:" + name + "-" + key().substring(0, 8);
    }

    private JsonNode send(String sessionKey, String message) throws Exception {
        return c.request("chat.send", p().put("sessionKey", sessionKey).put("message", message).put("idempotencyKey", key()));
    }

    @Test
    void abortStopsTheRunAndKeepsThePartialReply() throws Exception {
        String s = session("abort");
        String runId = ok(send(s, "slow")).path("runId").asText();
        List<JsonNode> seen = new ArrayList<>();
        while (seen.stream().filter(e -> isChat(e, runId, "delta")).count() < 3) {
            seen.addAll(c.eventsUntil(e -> isChat(e, runId, "delta"), WAIT));
        }

        // Another run id does not stop this run.
        JsonNode none = ok(c.request("chat.abort", p().put("sessionKey", s).put("runId", "not-this-run")));
        assertThat(none.path("aborted").asBoolean()).isFalse();
        seen.addAll(c.eventsUntil(e -> isChat(e, runId, "delta"), WAIT));

        long t0 = System.nanoTime();
        JsonNode aborted = ok(c.request("chat.abort", p().put("sessionKey", s)));
        assertThat(aborted.path("aborted").asBoolean()).isTrue();
        assertThat(aborted.path("runIds")).hasSize(1);
        assertThat(aborted.path("runIds").get(0).asText()).isEqualTo(runId);
        seen.addAll(untilEnd(c, runId));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

        List<JsonNode> run = seen.stream().filter(e -> ofRun(e, runId)).toList();
        assertThat(run).noneMatch(e -> isChat(e, runId, "final"));
        int ab = indexOf(run, e -> isChat(e, runId, "aborted"));
        assertThat(ab).as("a chat aborted event").isGreaterThan(0);
        JsonNode abortedEvent = run.get(ab).path("payload");
        assertThat(abortedEvent.path("stopReason").asText()).isEqualTo("aborted");
        String partial = run.stream().filter(e -> isChat(e, runId, "delta"))
                .map(e -> e.path("payload").path("deltaText").asText()).collect(Collectors.joining());
        assertThat(partial).startsWith("s0 s1 s2 ");
        assertThat(text(abortedEvent.path("message"))).isEqualTo(partial);
        JsonNode end = run.get(run.size() - 1);
        assertThat(isLifecycle(end, runId, "end")).isTrue();
        assertThat(end.path("payload").path("data").path("reason").asText()).isEqualTo("aborted");

        List<JsonNode> assistants = messages(transcript(state, "default", s), "assistant");
        assertThat(assistants).hasSize(1);
        assertThat(assistants.get(0).path("stopReason").asText()).isEqualTo("aborted");
        assertThat(text(assistants.get(0))).isEqualTo(partial);

        // Nothing left to abort; bad input is typed.
        assertThat(ok(c.request("chat.abort", p().put("sessionKey", s))).path("aborted").asBoolean()).isFalse();
        invalidParam(c.request("chat.abort", p()), "sessionKey");
        invalidParam(c.request("chat.abort", p().put("sessionKey", s).put("runId", 5)), "runId");
        assertThat(ok(c.request("status")).path("activeRuns").asInt()).isZero();
    }

    @Test
    void resetDuringARunStopsTheRunFirst() throws Exception {
        String s = session("reset");
        String runId = ok(send(s, "slow")).path("runId").asText();
        c.eventsUntil(e -> isChat(e, runId, "delta"), WAIT);
        String oldId = ProtocolSuite.sessionIdOnDisk(state, "default", s);

        long t0 = System.nanoTime();
        JsonNode reset = ok(c.request("sessions.reset", p().put("sessionKey", s)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        String newId = reset.path("session").path("sessionId").asText();
        assertThat(newId).isNotBlank().isNotEqualTo(oldId);

        // The run ended (aborted) before the session was reset.
        List<JsonNode> seen = c.eventsUntil(e -> isEvent(e, "sessions.changed")
                && s.equals(e.path("payload").path("sessionKey").asText()), WAIT);
        int aborted = indexOf(seen, e -> isChat(e, runId, "aborted"));
        int end = indexOf(seen, e -> isLifecycle(e, runId, "end"));
        assertThat(aborted).isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(aborted).isLessThan(seen.size() - 1);

        assertThat(ok(c.request("sessions.get", p().put("sessionKey", s))).path("entries")).isEmpty();
        assertThat(ok(c.request("status")).path("activeRuns").asInt()).isZero();
        // The old transcript is kept aside, with the partial reply marked aborted.
        Path dir = state.resolve("agents/default/sessions");
        List<Path> kept;
        try (Stream<Path> files = Files.list(dir)) {
            kept = files.filter(f -> f.getFileName().toString().startsWith(oldId + ".jsonl.reset.")).toList();
        }
        assertThat(kept).hasSize(1);
        List<JsonNode> assistants = messages(ProtocolSuite.lines(kept.get(0)), "assistant");
        assertThat(assistants).hasSize(1);
        assertThat(assistants.get(0).path("stopReason").asText()).isEqualTo("aborted");
    }
}

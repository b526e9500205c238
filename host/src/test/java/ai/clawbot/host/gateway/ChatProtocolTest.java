package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.JSON;
import static ai.clawbot.host.gateway.ProtocolSuite.WAIT;
import static ai.clawbot.host.gateway.ProtocolSuite.err;
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
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.WsProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat.send}, {@code chat.abort} and {@code chat.history} over real WebSockets: the ack, the streamed
 * {@code agent}/{@code chat} events and their order, per-connection {@code seq}, durability on disk,
 * idempotency, abort, reset during a run, and one-at-a-time runs per session.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatProtocolTest {

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

    private JsonNode send(String sessionKey, String message, String idempotencyKey) throws Exception {
        ObjectNode params = p().put("sessionKey", sessionKey).put("message", message);
        if (idempotencyKey != null) {
            params.put("idempotencyKey", idempotencyKey);
        }
        return c.request("chat.send", params);
    }

    @Test
    void sendIsAckedThenStreamsLifecycleDeltasFinalAndEndToEveryClient() throws Exception {
        try (ProtocolClient a = ProtocolClient.open(gateway.webSocketUri());
             ProtocolClient b = ProtocolClient.open(gateway.webSocketUri())) {
            JsonNode challengeA = a.awaitChallenge();
            ok(a.request("connect", ProtocolClient.connectParams(TestGateway.TOKEN)));
            JsonNode challengeB = b.awaitChallenge();
            ok(b.request("connect", ProtocolClient.connectParams(TestGateway.TOKEN)));
            String s = session("stream");
            String msg = "hello stream";

            JsonNode ack = ok(a.request("chat.send", p().put("sessionKey", s).put("message", msg).put("idempotencyKey", key())));
            assertThat(ack.path("status").asText()).isEqualTo("started");
            assertThat(ack.path("sessionKey").asText()).isEqualTo(s);
            assertThat(ack.path("messageId").asText()).isNotBlank();
            String runId = ack.path("runId").asText();
            assertThat(runId).isNotBlank();

            List<JsonNode> seenA = untilEnd(a, runId);
            List<JsonNode> seenB = untilEnd(b, runId);
            List<JsonNode> runA = seenA.stream().filter(e -> ofRun(e, runId)).toList();

            assertThat(isLifecycle(runA.get(0), runId, "start")).as("first: %s", runA.get(0)).isTrue();
            assertThat(isLifecycle(runA.get(runA.size() - 1), runId, "end")).isTrue();
            int fin = indexOf(runA, e -> isChat(e, runId, "final"));
            assertThat(fin).isPositive().isEqualTo(runA.size() - 2);
            List<JsonNode> chatDeltas = runA.stream().filter(e -> isChat(e, runId, "delta")).toList();
            assertThat(chatDeltas).hasSize(3);
            assertThat(runA.subList(fin + 1, runA.size())).noneMatch(e -> isChat(e, runId, "delta"));
            String joined = chatDeltas.stream().map(e -> e.path("payload").path("deltaText").asText()).collect(Collectors.joining());
            String agentJoined = runA.stream().filter(e -> isEvent(e, "agent") && "assistant".equals(e.path("payload").path("stream").asText()))
                    .map(e -> e.path("payload").path("data").path("delta").asText()).collect(Collectors.joining());
            String finalText = text(runA.get(fin).path("payload").path("message"));
            assertThat(finalText).isEqualTo("Echo: " + msg).isEqualTo(joined).isEqualTo(agentJoined);
            assertThat(runA.get(fin).path("payload").path("stopReason").asText()).isEqualTo("stop");
            // The run numbers its own events too, strictly increasing.
            long last = 0;
            for (JsonNode e : runA) {
                assertThat(e.path("payload").path("seq").asLong()).isGreaterThan(last);
                last = e.path("payload").path("seq").asLong();
            }

            // Per connection, frame seq goes up by one with no gap from the challenge on.
            List<JsonNode> allA = new ArrayList<>(List.of(challengeA));
            allA.addAll(seenA);
            allA.addAll(a.drainEvents());
            ProtocolSuite.assertContiguousSeq(allA, 1);
            List<JsonNode> allB = new ArrayList<>(List.of(challengeB));
            allB.addAll(seenB);
            allB.addAll(b.drainEvents());
            ProtocolSuite.assertContiguousSeq(allB, 1);

            // The other client saw the same run, event for event.
            List<JsonNode> runB = seenB.stream().filter(e -> ofRun(e, runId)).toList();
            assertThat(runB.stream().map(e -> e.path("event").asText() + e.path("payload")).toList())
                    .isEqualTo(runA.stream().map(e -> e.path("event").asText() + e.path("payload")).toList());

            // Durable: the transcript on disk holds both messages.
            List<JsonNode> lines = transcript(state, "default", s);
            List<JsonNode> users = messages(lines, "user");
            List<JsonNode> assistants = messages(lines, "assistant");
            assertThat(users).hasSize(1);
            assertThat(text(users.get(0))).isEqualTo(msg);
            assertThat(users.get(0).path("id").asText()).isEqualTo(ack.path("messageId").asText());
            assertThat(assistants).hasSize(1);
            assertThat(text(assistants.get(0))).isEqualTo(finalText);
            assertThat(assistants.get(0).path("stopReason").asText()).isEqualTo("stop");
            assertThat(assistants.get(0).path("id").asText()).isEqualTo(runA.get(fin).path("payload").path("message").path("id").asText());

            JsonNode history = ok(a.request("chat.history", p().put("sessionKey", s)));
            JsonNode ms = history.path("messages");
            assertThat(ms).hasSize(2);
            assertThat(ms.get(0).path("role").asText()).isEqualTo("user");
            assertThat(text(ms.get(0))).isEqualTo(msg);
            assertThat(ms.get(1).path("role").asText()).isEqualTo("assistant");
            assertThat(text(ms.get(1))).isEqualTo(finalText);
        }
    }

    @Test
    void theAckIsOnTheWireBeforeAnyEventOfItsRun() throws Exception {
        String s = session("order");
        try (WsProbe w = WsProbe.open(gateway.webSocketUri())) {
            assertThat(w.next(WAIT)).contains("connect.challenge");
            ObjectNode connect = JSON.createObjectNode().put("type", "req").put("id", "c1").put("method", "connect");
            connect.set("params", ProtocolClient.connectParams(TestGateway.TOKEN));
            w.text(connect.toString());
            JsonNode hello = JSON.readTree(w.next(WAIT));
            ok(hello);
            ObjectNode send = JSON.createObjectNode().put("type", "req").put("id", "s1").put("method", "chat.send");
            send.set("params", p().put("sessionKey", s).put("message", "order please").put("idempotencyKey", key()));
            w.text(send.toString());
            List<JsonNode> frames = new ArrayList<>();
            while (indexOf(frames, e -> isEvent(e, "chat") && "final".equals(e.path("payload").path("state").asText())
                    && s.equals(e.path("payload").path("sessionKey").asText())) < 0) {
                String m = w.next(WAIT);
                assertThat(m).as("frames so far: %s", frames).isNotNull();
                frames.add(JSON.readTree(m));
            }
            int ack = indexOf(frames, f -> "res".equals(f.path("type").asText()) && "s1".equals(f.path("id").asText()));
            int firstEvent = indexOf(frames, f -> s.equals(f.path("payload").path("sessionKey").asText())
                    && "event".equals(f.path("type").asText()));
            assertThat(ack).as("frames: %s", frames).isGreaterThanOrEqualTo(0);
            assertThat(ack).as("ack before the first run event: %s", frames).isLessThan(firstEvent);
            String runId = frames.get(ack).path("payload").path("runId").asText();
            assertThat(frames.get(firstEvent).path("payload").path("runId").asText()).isEqualTo(runId);
        }
    }

    @Test
    void theSameIdempotencyKeySendsOnce() throws Exception {
        String s = session("idem");
        String k = key();
        JsonNode first = ok(send(s, "once please", k));
        assertThat(first.path("status").asText()).isEqualTo("started");
        String runId = first.path("runId").asText();
        JsonNode second = ok(send(s, "once please", k));
        assertThat(second.path("runId").asText()).isEqualTo(runId);
        assertThat(second.path("status").asText()).isIn("in_flight", "ok");
        untilEnd(c, runId);
        JsonNode third = ok(send(s, "once please", k));
        assertThat(third.path("runId").asText()).isEqualTo(runId);
        assertThat(third.path("status").asText()).isEqualTo("ok");

        // The same key for a different message is a client bug, refused, and stores nothing.
        err(send(s, "something else", k), "INVALID_REQUEST", "IDEMPOTENCY_KEY_REUSED");

        List<JsonNode> lines = transcript(state, "default", s);
        assertThat(messages(lines, "user")).hasSize(1);
        assertThat(text(messages(lines, "user").get(0))).isEqualTo("once please");
        assertThat(messages(lines, "assistant")).hasSize(1);
        // A session's runs go one at a time in arrival order: once a later run has ended, a duplicate run,
        // had one been queued by the repeated sends, has ended and stored its reply too.
        JsonNode barrier = ok(send(s, "barrier", key()));
        untilEnd(c, barrier.path("runId").asText());
        List<JsonNode> after = transcript(state, "default", s);
        assertThat(messages(after, "user")).extracting(ProtocolSuite::text).containsExactly("once please", "barrier");
        assertThat(messages(after, "assistant")).hasSize(2);
    }

    @Test
    void sendWithoutIdempotencyKeyOrWithBadInputStoresNothing() throws Exception {
        int before = ok(c.request("sessions.list")).path("count").asInt();
        String fresh = session("bad");
        invalidParam(send(fresh, "no key", null), "idempotencyKey");
        invalidParam(c.request("chat.send", p().put("sessionKey", fresh).put("message", "x").put("idempotencyKey", 7)),
                "idempotencyKey");
        invalidParam(c.request("chat.send", p().put("message", "x").put("idempotencyKey", key())), "sessionKey");
        invalidParam(c.request("chat.send", p().put("sessionKey", fresh).put("message", 5).put("idempotencyKey", key())), "message");
        String k = key();
        err(send(fresh, "   ", k), "INVALID_REQUEST", "INVALID_PARAMS");
        err(send(fresh, "x".repeat(256 * 1024 + 1), key()), "INVALID_REQUEST", "MESSAGE_TOO_LONG");
        err(send("agent:ghost:main", "x", key()), "NOT_FOUND", "UNKNOWN_AGENT");
        err(send("agent::x", "x", key()), "INVALID_REQUEST", "INVALID_SESSION_KEY");

        assertThat(ok(c.request("sessions.list")).path("count").asInt()).isEqualTo(before);
        err(c.request("sessions.get", p().put("sessionKey", fresh)), "NOT_FOUND", "UNKNOWN_SESSION");
        assertThat(ProtocolSuite.sessionIdOnDisk(state, "default", fresh)).isNull();
        assertThat(Files.exists(state.resolve("agents/ghost"))).isFalse();

        // A refused send does not use up its key.
        JsonNode retry = ok(send(fresh, "now valid", k));
        assertThat(retry.path("status").asText()).isEqualTo("started");
        untilEnd(c, retry.path("runId").asText());
    }

    @Test
    void runsOfOneSessionRunOneAfterAnotherAndOfTwoSessionsSideBySide() throws Exception {
        String s = session("lane");
        JsonNode a1 = ok(send(s, "steps:5:40", key()));
        JsonNode a2 = ok(send(s, "steps:2:10", key()));
        String r1 = a1.path("runId").asText();
        String r2 = a2.path("runId").asText();
        List<JsonNode> seen = untilEnd(c, r2);
        int final1 = indexOf(seen, e -> isChat(e, r1, "final"));
        int start2 = indexOf(seen, e -> isLifecycle(e, r2, "start"));
        assertThat(final1).as("run 1 final in %s", seen).isGreaterThanOrEqualTo(0);
        assertThat(start2).as("run 2 starts after run 1's final").isGreaterThan(final1);
        List<JsonNode> users = messages(transcript(state, "default", s), "user");
        assertThat(users.stream().map(ProtocolSuite::text).toList()).containsExactly("steps:5:40", "steps:2:10");

        // Two sessions are two lanes: the short run starts (and ends) while the long one streams.
        String x = session("lane-x");
        String y = session("lane-y");
        String long1 = ok(send(x, "steps:8:40", key())).path("runId").asText();
        String short2 = ok(send(y, "steps:1:10", key())).path("runId").asText();
        List<JsonNode> both = untilEnd(c, long1);
        assertThat(indexOf(both, e -> isLifecycle(e, short2, "start"))).isGreaterThanOrEqualTo(0)
                .isLessThan(indexOf(both, e -> isChat(e, long1, "final")));
    }
}

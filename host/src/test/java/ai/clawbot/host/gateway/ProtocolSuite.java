package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Shared pieces of the protocol suite ({@code HandshakeTest}, {@code ChatProtocolTest}, ...): a real gateway
 * with a scripted engine, assertions on {@code res} frames, and readers of run events and transcripts on disk.
 */
final class ProtocolSuite {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    private ProtocolSuite() {
    }

    /** Starts a gateway over {@code state}, writing {@code openclawJson} first when given. */
    static Gateway start(Path state, String openclawJson, AgentEngine engine) throws IOException {
        if (openclawJson != null) {
            Files.createDirectories(state);
            Files.writeString(state.resolve("openclaw.json"), openclawJson);
        }
        Gateway.Options options = Gateway.Options.defaults();
        if (engine != null) {
            options = options.engine(() -> engine);
        }
        return TestGateway.start(state, options);
    }

    static ProtocolClient client(Gateway g) throws Exception {
        return ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN);
    }

    /** A client that asked for exactly {@code scopes}. */
    static ProtocolClient client(Gateway g, List<String> scopes) throws Exception {
        ProtocolClient c = ProtocolClient.open(g.webSocketUri());
        ok(c.sendConnect(TestGateway.TOKEN, scopes));
        return c;
    }

    static ObjectNode p() {
        return JSON.createObjectNode();
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    /** Asserts a successful {@code res}; returns its payload. */
    static JsonNode ok(JsonNode res) {
        assertThat(res.path("type").asText()).as("frame type of %s", res).isEqualTo("res");
        assertThat(res.path("ok").asBoolean()).as("expected ok: %s", res).isTrue();
        return res.path("payload");
    }

    /** Asserts a refused {@code res} with {@code code} and (when not null) {@code details.code}; returns the error. */
    static JsonNode err(JsonNode res, String code, String detailCode) {
        assertThat(res.path("type").asText()).as("frame type of %s", res).isEqualTo("res");
        assertThat(res.path("ok").asBoolean()).as("expected an error: %s", res).isFalse();
        JsonNode e = res.path("error");
        assertThat(e.path("code").asText()).as("error code of %s", res).isEqualTo(code);
        assertThat(e.path("message").asText()).as("error message of %s", res).isNotBlank();
        if (detailCode != null) {
            assertThat(e.path("details").path("code").asText()).as("details.code of %s", res).isEqualTo(detailCode);
        }
        return e;
    }

    /** An {@code INVALID_REQUEST}/{@code INVALID_PARAMS} error naming {@code field}. */
    static JsonNode invalidParam(JsonNode res, String field) {
        JsonNode e = err(res, "INVALID_REQUEST", "INVALID_PARAMS");
        assertThat(e.path("details").path("field").asText()).as("details.field of %s", res).isEqualTo(field);
        return e;
    }

    /** A frame whose params are not an object is refused as a whole (typed, id null); the connection stays usable. */
    static void assertParamsMustBeAnObject(ProtocolClient c, String method) throws Exception {
        c.sendRaw("{\"type\":\"req\",\"id\":\"bad-" + method + "\",\"method\":\"" + method + "\",\"params\":[1,2]}");
        JsonNode reply = c.eventsUntil(f -> "res".equals(f.path("type").asText()), Duration.ofSeconds(5)).getLast();
        JsonNode e = err(reply, "INVALID_REQUEST", null);
        assertThat(e.path("message").asText()).contains("params");
        assertThat(c.isClosed()).isFalse();
        ok(c.request(method));
    }

    static boolean isEvent(JsonNode e, String name) {
        return "event".equals(e.path("type").asText()) && name.equals(e.path("event").asText());
    }

    static boolean isLifecycle(JsonNode e, String runId, String phase) {
        return isEvent(e, "agent") && runId.equals(e.path("payload").path("runId").asText())
                && "lifecycle".equals(e.path("payload").path("stream").asText())
                && phase.equals(e.path("payload").path("data").path("phase").asText());
    }

    static boolean isChat(JsonNode e, String runId, String state) {
        return isEvent(e, "chat") && runId.equals(e.path("payload").path("runId").asText())
                && state.equals(e.path("payload").path("state").asText());
    }

    static boolean ofRun(JsonNode e, String runId) {
        return runId.equals(e.path("payload").path("runId").asText());
    }

    /** Every event up to the run's lifecycle end (or error), including events of other runs. */
    static List<JsonNode> untilEnd(ProtocolClient c, String runId) throws InterruptedException {
        return c.eventsUntil(e -> isLifecycle(e, runId, "end") || isLifecycle(e, runId, "error"), WAIT);
    }

    /** Sends a chat message and waits for its run to end; returns the run id. */
    static String chat(ProtocolClient c, String sessionKey, String message) throws Exception {
        JsonNode ack = ok(c.request("chat.send", p().put("sessionKey", sessionKey).put("message", message)
                .put("idempotencyKey", key())));
        String runId = ack.path("runId").asText();
        untilEnd(c, runId);
        return runId;
    }

    static int indexOf(List<JsonNode> events, java.util.function.Predicate<JsonNode> match) {
        for (int i = 0; i < events.size(); i++) {
            if (match.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The text of a message payload ({@code content[0].text}). */
    static String text(JsonNode message) {
        return message.path("content").path(0).path("text").asText();
    }

    /** Asserts the frames' {@code seq} go up by exactly one each, starting at {@code first}. */
    static void assertContiguousSeq(List<JsonNode> events, long first) {
        long expected = first;
        for (JsonNode e : events) {
            assertThat(e.path("type").asText()).as("only events expected here: %s", e).isEqualTo("event");
            assertThat(e.path("seq").asLong()).as("seq of %s", e).isEqualTo(expected);
            expected++;
        }
    }

    /** The session id {@code sessions.json} of {@code agentId} maps {@code sessionKey} to, or null. */
    static String sessionIdOnDisk(Path state, String agentId, String sessionKey) throws IOException {
        Path index = state.resolve("agents").resolve(agentId).resolve("sessions").resolve("sessions.json");
        if (!Files.exists(index)) {
            return null;
        }
        JsonNode row = JSON.readTree(index.toFile()).get(sessionKey);
        return row == null ? null : row.path("sessionId").asText(null);
    }

    /** The transcript lines of the current session of {@code sessionKey}, as written on disk. */
    static List<JsonNode> transcript(Path state, String agentId, String sessionKey) throws IOException {
        String id = sessionIdOnDisk(state, agentId, sessionKey);
        assertThat(id).as("session %s in sessions.json", sessionKey).isNotNull();
        return lines(state.resolve("agents").resolve(agentId).resolve("sessions").resolve(id + ".jsonl"));
    }

    static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** The {@code message} lines of a transcript with role {@code role}. */
    static List<JsonNode> messages(List<JsonNode> transcript, String role) {
        return transcript.stream().filter(l -> "message".equals(l.path("type").asText()) && role.equals(l.path("role").asText()))
                .toList();
    }

    /**
     * An engine scripted by the message:
     * <ul>
     * <li>{@code slow...}: a delta every 50 ms for 10 s, honouring abort;</li>
     * <li>{@code steps:N:MS}: N deltas {@code "pI "}, MS ms apart;</li>
     * <li>{@code gated:N:K}: N deltas of K characters, each only after {@link #gate} hands out a permit;</li>
     * <li>anything else: the deltas {@code "Echo"}, {@code ": "} and the message.</li>
     * </ul>
     */
    static final class ScriptedEngine implements AgentEngine {

        final Semaphore gate = new Semaphore(0);

        @Override
        public Reply run(Turn turn, RunStream out) throws InterruptedException {
            String m = turn.message();
            StringBuilder text = new StringBuilder();
            if (m.startsWith("slow")) {
                for (int i = 0; i < 200; i++) {
                    if (out.aborted()) {
                        return new Reply(text.toString(), "aborted");
                    }
                    emit(out, text, "s" + i + " ");
                    Thread.sleep(50);
                }
                return new Reply(text.toString(), "stop");
            }
            if (m.startsWith("steps:") || m.startsWith("gated:")) {
                String[] parts = m.split(":");
                int n = Integer.parseInt(parts[1]);
                int arg = Integer.parseInt(parts[2]);
                boolean gated = m.startsWith("gated:");
                for (int i = 0; i < n; i++) {
                    if (out.aborted()) {
                        return new Reply(text.toString(), "aborted");
                    }
                    if (gated) {
                        if (!gate.tryAcquire(20, TimeUnit.SECONDS)) {
                            return new Reply(text.toString(), "aborted");
                        }
                        emit(out, text, String.valueOf((char) ('a' + i % 26)).repeat(arg));
                    } else {
                        emit(out, text, "p" + i + " ");
                        Thread.sleep(arg);
                    }
                }
                return new Reply(text.toString(), "stop");
            }
            emit(out, text, "Echo");
            emit(out, text, ": ");
            emit(out, text, m);
            return new Reply(text.toString(), "stop");
        }

        private static void emit(RunStream out, StringBuilder text, String delta) {
            text.append(delta);
            out.assistantDelta(delta);
        }
    }
}

package ai.clawbot.host.gateway;

import static ai.clawbot.host.gateway.ProtocolSuite.JSON;
import static ai.clawbot.host.gateway.ProtocolSuite.WAIT;
import static ai.clawbot.host.gateway.ProtocolSuite.indexOf;
import static ai.clawbot.host.gateway.ProtocolSuite.isChat;
import static ai.clawbot.host.gateway.ProtocolSuite.key;
import static ai.clawbot.host.gateway.ProtocolSuite.ok;
import static ai.clawbot.host.gateway.ProtocolSuite.p;
import static ai.clawbot.host.gateway.ProtocolSuite.text;
import static ai.clawbot.host.gateway.ProtocolSuite.untilEnd;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading while a large stream is broadcast must be cut off (its queue would otherwise
 * grow without bound) while a client that reads keeps being served. The stream is paced by the reader (the
 * engine emits a delta only once the reader has the previous one), so the reader can never be the slow one.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class SlowConsumerTest {

    private static final int DELTAS = 40;
    private static final int DELTA_CHARS = 16 * 1024;

    @TempDir
    Path state;

    /** Streams {@code DELTAS} deltas paced by {@code reader}; returns the run id after checking the reader got it all. */
    private static String firehose(ProtocolSuite.ScriptedEngine engine, ProtocolClient reader) throws Exception {
        JsonNode ack = ok(reader.request("chat.send", p().put("sessionKey", "agent:default:firehose")
                .put("message", "gated:" + DELTAS + ":" + DELTA_CHARS).put("idempotencyKey", key())));
        String runId = ack.path("runId").asText();
        for (int i = 0; i < DELTAS; i++) {
            engine.gate.release();
            reader.eventsUntil(e -> isChat(e, runId, "delta"), WAIT);
        }
        List<JsonNode> rest = untilEnd(reader, runId);
        int fin = indexOf(rest, e -> isChat(e, runId, "final"));
        assertThat(fin).as("the reader got the final").isGreaterThanOrEqualTo(0);
        assertThat(text(rest.get(fin).path("payload").path("message"))).hasSize(DELTAS * DELTA_CHARS);
        return runId;
    }

    @Test
    void aStalledClientIsCutOffWhileAReaderKeepsBeingServed() throws Exception {
        ProtocolSuite.ScriptedEngine engine = new ProtocolSuite.ScriptedEngine();
        try (Gateway g = ProtocolSuite.start(state, null, engine);
             ProtocolClient reader = ProtocolSuite.client(g);
             Stalled slow = Stalled.connect(g.webSocketUri())) {
            String runId = firehose(engine, reader);
            ok(reader.request("health"));
            // The gateway noticed (and dropped what it had queued for the stalled client).
            JsonNode logs = ok(reader.request("logs.tail", p().put("filter", "stopped reading").put("limit", 10)));
            assertThat(logs.path("lines")).as("a slow-consumer warning").isNotEmpty();

            // Once the stalled client reads again, it finds its stream cut short and the connection closed: with a
            // policy close (1008) when the writer was idle, or cut outright (1006) when it was blocked writing to
            // this peer, since no close frame can pass a full receive window.
            slow.resume();
            int code;
            try {
                code = slow.closed.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException cut) {
                // The JDK client reports a connection cut under it as an error (at times an InternalError from its
                // transport) rather than as close code 1006.
                code = 1006;
            }
            assertThat(code).isIn(1008, 1006);
            List<String> got = List.copyOf(slow.frames);
            assertThat(got).noneMatch(f -> f.contains("\"state\":\"final\"") && f.contains(runId));
        }
    }

    @Test
    void aStalledClientIsDisconnectedWithoutItsCooperation() throws Exception {
        ProtocolSuite.ScriptedEngine engine = new ProtocolSuite.ScriptedEngine();
        try (Gateway g = ProtocolSuite.start(state, null, engine);
             ProtocolClient reader = ProtocolSuite.client(g);
             Stalled slow = Stalled.connect(g.webSocketUri())) {
            assertThat(ok(reader.request("status")).path("connections").asInt()).isEqualTo(2);
            firehose(engine, reader);
            // Still not reading: the gateway must tear the connection down itself, not wait for the peer to
            // drain a frame it is blocked writing (a peer that never reads would hold the socket forever).
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int connections;
            do {
                Thread.sleep(100);
                connections = ok(reader.request("status")).path("connections").asInt();
            } while (connections > 1 && System.nanoTime() < end);
            assertThat(connections).as("connections once the stalled client is cut off").isEqualTo(1);
        }
    }

    /** A real JDK WebSocket client that authenticates, then stops asking for frames until {@link #resume}. */
    static final class Stalled implements AutoCloseable {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final WebSocket ws;
        private volatile boolean paused;

        private Stalled(URI uri) throws Exception {
            StringBuilder partial = new StringBuilder();
            ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public void onOpen(WebSocket w) {
                    w.request(1);
                }

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    boolean more = !paused; // read before the frame is visible, so a pause applies to the next one
                    partial.append(data);
                    if (last) {
                        frames.add(partial.toString());
                        partial.setLength(0);
                    }
                    if (more || !last) {
                        w.request(1);
                    }
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                    closed.complete(status);
                    return null;
                }

                @Override
                public void onError(WebSocket w, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).get(10, TimeUnit.SECONDS);
        }

        static Stalled connect(URI uri) throws Exception {
            Stalled s = new Stalled(uri);
            String challenge = s.frames.poll(5, TimeUnit.SECONDS);
            assertThat(challenge).contains("connect.challenge");
            s.paused = true; // the hello is the last frame this client asks for
            ObjectNode req = JSON.createObjectNode().put("type", "req").put("id", "c1").put("method", "connect");
            req.set("params", ProtocolClient.connectParams(TestGateway.TOKEN));
            s.ws.sendText(req.toString(), true).get(5, TimeUnit.SECONDS);
            JsonNode hello = JSON.readTree(s.frames.poll(5, TimeUnit.SECONDS));
            ok(hello);
            return s;
        }

        void resume() {
            paused = false;
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}

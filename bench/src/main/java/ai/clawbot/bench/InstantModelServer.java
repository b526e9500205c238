package ai.clawbot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback OpenAI-compatible {@code /v1/chat/completions} server (SSE streaming) that answers at once, and
 * times itself: the nanos each request spent in its handler (body read to stream closed) are recorded, so a
 * client can subtract the model's own time from what it measured. What it answers depends on the request only:
 * <ul>
 * <li>a {@code tool} message present: "Found: " and the first note path in that tool result;</li>
 * <li>else a last user message containing {@value #TOOL_MARK}: a call of {@code obsidian__search_content}
 *     with {@code {"query":"benchmarks"}}, finish_reason tool_calls;</li>
 * <li>else a short text in three pieces.</li>
 * </ul>
 * {@code modelMs} (optional) sleeps before the first piece, to play a model that takes time.
 */
final class InstantModelServer implements AutoCloseable {

    static final String TOOL_MARK = "[tool]";
    static final String CALL_ID = "call_bench_1";
    static final String TOOL_FUNCTION = "obsidian__search_content";
    static final String TOOL_ARGS = "{\"query\":\"benchmarks\"}";
    static final String TEXT = "Hello from the bench model.";

    /** One request as it arrived and how long the server spent on it. */
    record Served(String body, long nanos) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final LinkedBlockingQueue<Served> served = new LinkedBlockingQueue<>();
    private final long modelMs;

    private InstantModelServer(long modelMs) throws IOException {
        this.modelMs = modelMs;
        // Real model servers (uvicorn, Ollama, llama.cpp) stream with TCP_NODELAY; the JDK server does not by default,
        // and Nagle plus the client's delayed ACK would add ~40 ms per small SSE chunk that no handler timing sees.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    static InstantModelServer start(long modelMs) throws IOException {
        return new InstantModelServer(modelMs);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The requests served since the last call, oldest first (sequential phases: those of one turn). */
    List<Served> drain() {
        List<Served> out = new ArrayList<>();
        served.drainTo(out);
        return out;
    }

    /**
     * As {@link #drain()}, first waiting (up to 5 s) until {@code expected} requests are recorded: a handler records
     * its time after closing the stream, which the client may see, and act on, a moment before.
     */
    List<Served> drain(int expected) {
        List<Served> out = new ArrayList<>();
        long end = System.nanoTime() + 5_000_000_000L;
        try {
            while (out.size() < expected && System.nanoTime() < end) {
                Served s = served.poll(10, TimeUnit.MILLISECONDS);
                if (s != null) {
                    out.add(s);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        served.drainTo(out);
        return out;
    }

    static long totalNanos(List<Served> s) {
        return s.stream().mapToLong(Served::nanos).sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long t0 = System.nanoTime();
        String body;
        try (exchange) {
            body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode req = JSON.readTree(body);
            if (modelMs > 0) {
                Thread.sleep(modelMs);
            }
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            String toolResult = lastContent(req, "tool");
            String user = lastContent(req, "user");
            if (toolResult != null) {
                int cut = toolResult.indexOf(" (");
                String found = cut > 0 && toolResult.substring(0, cut).endsWith(".md") ? toolResult.substring(0, cut) : "nothing";
                sse(out, chunk("{\"role\":\"assistant\",\"content\":\"Found: \"}", null));
                sse(out, chunk("{\"content\":" + JSON.writeValueAsString(found) + "}", null));
                sse(out, chunk("{}", "stop"));
            } else if (user != null && user.contains(TOOL_MARK)) {
                sse(out, chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + CALL_ID
                        + "\",\"type\":\"function\",\"function\":{\"name\":\"" + TOOL_FUNCTION + "\",\"arguments\":"
                        + JSON.writeValueAsString(TOOL_ARGS) + "}}]}", null));
                sse(out, chunk("{}", "tool_calls"));
            } else {
                sse(out, chunk("{\"role\":\"assistant\",\"content\":\"Hello \"}", null));
                sse(out, chunk("{\"content\":\"from the \"}", null));
                sse(out, chunk("{\"content\":\"bench model.\"}", null));
                sse(out, chunk("{}", "stop"));
            }
            sse(out, "[DONE]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        served.add(new Served(body, System.nanoTime() - t0));
    }

    private static String lastContent(JsonNode req, String role) {
        String last = null;
        for (JsonNode m : req.path("messages")) {
            if (role.equals(m.path("role").asText())) {
                JsonNode c = m.path("content");
                last = c.isTextual() ? c.asText() : c.toString();
            }
        }
        return last;
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"test-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static void sse(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

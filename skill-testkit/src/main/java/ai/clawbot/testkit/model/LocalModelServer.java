package ai.clawbot.testkit.model;

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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one local model server of the tests and benchmarks: a loopback HTTP server that plays a model provider
 * (OpenAI-compatible {@code /v1/chat/completions} with SSE streaming, or any other API a {@link Responder}
 * speaks). It records every request, and how long its responder spent on each ({@link #drain}), so a benchmark
 * can subtract the model's own time from what it measured. {@link ToolCallingModel} is the scripted agent model.
 */
public final class LocalModelServer implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One request served, and the nanos its responder took (body read to stream closed). */
    public record Served(Received request, long nanos) {
    }

    /** Answers one request on the exchange (status, headers, body); may stream. */
    @FunctionalInterface
    public interface Responder {
        void respond(Received request, HttpExchange exchange) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger hits = new AtomicInteger();
    private final LinkedBlockingQueue<Served> served = new LinkedBlockingQueue<>();
    private volatile Responder responder;

    private LocalModelServer(Responder responder) throws IOException {
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            long t0 = System.nanoTime();
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
                received.add(r);
                hits.incrementAndGet();
                this.responder.respond(r, exchange);
                exchange.close();
                served.add(new Served(r, System.nanoTime() - t0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // client went away (cancelled stream, timeout): nothing to do
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.start();
    }

    public static LocalModelServer start(Responder responder) throws IOException {
        return new LocalModelServer(responder);
    }

    public void respondWith(Responder next) {
        this.responder = next;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The OpenAI-compatible base URL a provider config names ({@code .../v1}). */
    public String v1Url() {
        return baseUrl() + "/v1";
    }

    /** The requests served since the last drain, oldest first. */
    public List<Served> drain() {
        List<Served> out = new ArrayList<>();
        served.drainTo(out);
        return out;
    }

    /**
     * As {@link #drain()}, first waiting (up to 5 s) until {@code expected} requests are recorded: a request is
     * recorded after its stream closed, which the client may see, and act on, a moment before.
     */
    public List<Served> drain(int expected) {
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

    public static long totalNanos(List<Served> served) {
        return served.stream().mapToLong(Served::nanos).sum();
    }

    public int hits() {
        return hits.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    /** A JSON error with the given status. */
    public static Responder status(int code, String body) {
        return (request, exchange) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    /** Starts an SSE response (chunked); frames are written with {@link #frame}. */
    public static OutputStream openSse(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    /** Writes one SSE frame ({@code event:} line only when event is non-null) and flushes it as its own chunk. */
    public static void frame(OutputStream out, String event, String data) throws IOException {
        String text = (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** An OpenAI chat.completion.chunk with this delta (JSON) and finish reason (or null). */
    public static String openAiChunk(String model, String delta, String finish) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    /** An OpenAI chat.completion.chunk carrying only text. */
    public static String openAiText(String model, String text) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(text) + "},\"finish_reason\":null}]}";
    }

    public static String openAiFinish(String model, String reason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
    }

    /** A whole, plain OpenAI streamed reply. */
    public static Responder openAiReply(String model, String... pieces) {
        return (request, exchange) -> {
            OutputStream out = openSse(exchange);
            for (String piece : pieces) {
                frame(out, null, openAiText(model, piece));
            }
            frame(out, null, openAiFinish(model, "stop"));
            frame(out, null, "[DONE]");
        };
    }

    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

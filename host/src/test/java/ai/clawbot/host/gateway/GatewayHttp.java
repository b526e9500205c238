package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentEngine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helpers for the gateway's plain HTTP side: a JDK {@link HttpClient} pinned to HTTP/1.1 (no h2c upgrade
 * dance), a Prometheus text parser that reads one sample by name and labels, and a polling wait.
 */
final class GatewayHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String base;

    private GatewayHttp(String base) {
        this.base = base;
    }

    static GatewayHttp on(int port) {
        return on("127.0.0.1", port);
    }

    static GatewayHttp on(String host, int port) {
        return new GatewayHttp("http://" + host + ":" + port);
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** The value of the sample {@code name} whose labels are exactly {@code labels} (k1, v1, k2, v2...); 0 if absent. */
    static double sample(String metricsText, String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (String line : metricsText.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            if (labelsOf(m.group(2)).equals(want)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }

    /** The distinct values of {@code label} across the samples of {@code name}. */
    static Set<String> labelValues(String metricsText, String name, String label) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : metricsText.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!line.startsWith("#") && m.matches() && m.group(1).equals(name)) {
                String v = labelsOf(m.group(2)).get(label);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static Map<String, String> labelsOf(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            Matcher l = LABEL.matcher(raw);
            while (l.find()) {
                out.put(l.group(1), l.group(2));
            }
        }
        return out;
    }

    /** Polls until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(25);
        }
    }

    /** A loopback port that was free a moment ago, so a test knows the port before {@code start()} returns. */
    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void writeConfig(Path state, String json) throws Exception {
        Files.createDirectories(state);
        Files.writeString(state.resolve("openclaw.json"), json);
    }

    /**
     * An engine whose reply is known in advance: {@code echo#<history size>: <message>}, streamed in 4-character
     * deltas (so a stream has several chunks, and a second turn in a session shows it saw the first).
     */
    static AgentEngine echoEngine() {
        return (turn, out) -> {
            String reply = echoReply(turn.history().size(), turn.message());
            for (int i = 0; i < reply.length(); i += 4) {
                out.assistantDelta(reply.substring(i, Math.min(reply.length(), i + 4)));
            }
            return new AgentEngine.Reply(reply, "stop");
        };
    }

    static String echoReply(int historySize, String message) {
        return "echo#" + historySize + ": " + message;
    }
}

package ai.clawbot.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-rolled MCP client: writes JSON-RPC messages one per line and reads the server's lines on its
 * own thread, so every read has a timeout and a hung server fails the test instead of blocking it.
 */
final class McpLineClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 10;

    private final OutputStream toServer;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    McpLineClient(InputStream fromServer, OutputStream toServer) {
        this.toServer = toServer;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // pipe closed: the test is over
            }
        }, "mcp-test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static ObjectNode request(int id, String method, JsonNode params) {
        ObjectNode o = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        if (params != null) {
            o.set("params", params);
        }
        return o;
    }

    static ObjectNode notification(String method) {
        return JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    }

    void send(JsonNode message) throws IOException {
        toServer.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    /** The next line the server writes, as JSON; fails after the timeout. */
    JsonNode next() throws Exception {
        String line = lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(line).as("a line from the server within " + TIMEOUT_SECONDS + "s").isNotNull();
        return JSON.readTree(line);
    }

    /** Sends a request and returns the response with the same id (skipping anything else). */
    JsonNode call(int id, String method, JsonNode params) throws Exception {
        send(request(id, method, params));
        while (true) {
            JsonNode msg = next();
            if (msg.path("id").asInt(-1) == id && (msg.has("result") || msg.has("error"))) {
                return msg;
            }
        }
    }

    /** Whether the server wrote nothing for a while (e.g. after a notification). */
    boolean silentFor(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void close() throws IOException {
        toServer.close();
    }
}

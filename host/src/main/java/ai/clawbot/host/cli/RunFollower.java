package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One agent run seen from a terminal: sends {@code chat.send}, then prints the reply as it streams, each tool
 * call as it starts and ends, and each approval the run waits for (asking the {@link Approver} when there is a
 * person to ask). A spinner shows while nothing has arrived yet, on a terminal only; piped output gets plain lines.
 * Events are handled on the caller's thread, in order.
 */
final class RunFollower {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPIN = "|/-\\";

    /** Asks a person about one approval: approve (true), deny (false), or empty to leave it pending. */
    @FunctionalInterface
    interface Approver {
        Optional<Boolean> ask(JsonNode request);
    }

    /** How a run ended. */
    sealed interface Outcome permits Outcome.Final, Outcome.Failed, Outcome.Aborted {
        int exitCode();

        record Final() implements Outcome {
            public int exitCode() {
                return GatewayTarget.OK;
            }
        }

        record Failed() implements Outcome {
            public int exitCode() {
                return GatewayTarget.FAILED;
            }
        }

        record Aborted() implements Outcome {
            public int exitCode() {
                return GatewayTarget.ABORTED;
            }
        }
    }

    private final GatewayClient client;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    RunFollower(GatewayClient client, PrintWriter out, PrintWriter err, boolean json, boolean terminal) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.json = json;
        this.terminal = terminal;
        client.onEvent(events::add);
    }

    /** Starts a run; returns its id. A refusal is an {@link Rpc.Failed} (exit 1), not a lost gateway (exit 3). */
    String send(String sessionKey, String message) throws IOException {
        ObjectNode params = JSON.createObjectNode().put("sessionKey", sessionKey).put("message", message)
                .put("idempotencyKey", UUID.randomUUID().toString());
        return Rpc.call(client, "chat.send", params).path("runId").asText();
    }

    /** Asks the gateway to stop the run (Ctrl-C); its end arrives as an {@code aborted} event. */
    void abort(String sessionKey, String runId) {
        try {
            client.request("chat.abort", JSON.createObjectNode().put("sessionKey", sessionKey).put("runId", runId),
                    Duration.ofSeconds(10));
        } catch (IOException e) {
            err.println("claw: could not abort: " + e.getMessage());
            err.flush();
        }
    }

    /** Follows the run until it ends; never returns before a final, error or aborted event (or a lost connection). */
    Outcome follow(String sessionKey, String runId, Approver approver) throws IOException {
        boolean printed = false;
        int spin = 0;
        while (true) {
            JsonNode e;
            try {
                e = events.poll(120, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (e == null) {
                if (terminal && !json && !printed) {
                    err.print("\r" + SPIN.charAt(spin++ % SPIN.length()) + " working…");
                    err.flush();
                }
                continue;
            }
            if ("closed".equals(e.path("type").asText())) {
                err.println("claw: the connection to the gateway was lost: " + e.path("reason").asText());
                err.flush();
                return new Outcome.Failed();
            }
            JsonNode p = e.path("payload");
            String event = e.path("event").asText();
            boolean ours = runId.equals(p.path("runId").asText());
            boolean approval = event.equals("approval.requested") && sessionKey.equals(p.path("sessionKey").asText());
            if (!ours && !approval) {
                continue;
            }
            if (terminal && !json && !printed) {
                err.print("\r\033[K");
                err.flush();
            }
            printed = true;
            if (json) {
                out.println(e.toString());
                out.flush();
            }
            if (approval) {
                approve(p, approver);
                continue;
            }
            if (event.equals("agent") && p.path("stream").asText().equals("tool") && !json) {
                tool(p.path("data"));
            } else if (event.equals("chat")) {
                switch (p.path("state").asText()) {
                    case "delta" -> {
                        if (!json) {
                            out.print(p.path("deltaText").asText());
                            out.flush();
                        }
                    }
                    case "final" -> {
                        if (!json) {
                            out.println();
                            out.flush();
                        }
                        return new Outcome.Final();
                    }
                    case "error" -> {
                        if (!json) {
                            out.println();
                            err.println("claw: the run failed: " + p.path("errorMessage").asText());
                            out.flush();
                            err.flush();
                        }
                        return new Outcome.Failed();
                    }
                    case "aborted" -> {
                        if (!json) {
                            out.println();
                            err.println("[aborted]");
                            out.flush();
                            err.flush();
                        }
                        return new Outcome.Aborted();
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private void tool(JsonNode d) {
        String name = d.has("skill") ? d.path("skill").asText() + "." + d.path("tool").asText() : d.path("name").asText();
        if (d.path("phase").asText().equals("start")) {
            err.println("→ " + name + " " + d.path("args"));
        } else {
            err.println((d.path("isError").asBoolean() ? "✗ " : "✓ ") + name + " (" + d.path("status").asText() + ", "
                    + d.path("durationMs").asLong() + " ms)" + (d.path("isError").asBoolean() ? ": " + oneLine(d.path("result").asText()) : ""));
        }
        err.flush();
    }

    private void approve(JsonNode request, Approver approver) throws IOException {
        String id = request.path("id").asText();
        err.println("? approval needed: " + request.path("skill").asText() + "." + request.path("tool").asText()
                + " (" + request.path("effect").asText() + ") " + request.path("args") + "  [" + id + "]");
        err.flush();
        Optional<Boolean> decision = approver.ask(request);
        if (decision.isEmpty()) {
            err.println("  waiting; decide with: claw approvals approve " + id + "  (or deny)");
            err.flush();
            return;
        }
        JsonNode res = client.request("approvals.resolve", JSON.createObjectNode().put("id", id)
                .put("decision", decision.get() ? "approve" : "deny"), Duration.ofSeconds(10));
        err.println(res.path("ok").asBoolean() ? "  " + (decision.get() ? "approved" : "denied")
                : "  claw: " + res.at("/error/message").asText());
        err.flush();
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}

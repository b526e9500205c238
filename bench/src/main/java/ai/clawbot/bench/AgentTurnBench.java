package ai.clawbot.bench;

import ai.clawbot.bench.BenchReport.Goal;
import ai.clawbot.host.agents.OfferedTools;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.gateway.StateDir;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Agent-turn overhead excluding model time, with a local model server (a load client, not a test).
 *
 * <p>A gateway runs in this JVM over a fresh state folder whose {@code models} section names a local
 * OpenAI-compatible server ({@link InstantModelServer}) that answers at once and times each request it serves.
 * N warm rounds, each: (a) a text-only turn; its baseline, the same model call made directly with langchain4j;
 * (b) a turn in which the model calls {@code obsidian.search_content} once (warm container); its baseline, the same
 * two model calls made directly plus a direct {@code tools.invoke} of the same tool over the same connection.
 * A turn is timed from {@code chat.send} leaving the client to the run's final {@code chat} event arriving; the
 * model server's own time for the turn's requests is subtracted. Sessions are reset (untimed) before each turn,
 * so every turn carries the same history and the same request bodies; the session scope, and so the warm
 * container, stays.
 *
 * <p>{@code ./bench/run-agent.sh [turns=50] [warmup=10] [modelMs=0]}; needs Docker and the sandbox image.
 */
public final class AgentTurnBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String TEXT_SESSION = "agent:default:bench-text";
    private static final String TOOL_SESSION = "agent:default:bench-tool";
    private static final String TEXT_MESSAGE = "Say hello.";
    private static final String TOOL_MESSAGE = InstantModelServer.TOOL_MARK + " Which notes talk about benchmarks?";

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = options(args);
        int turns = o.get("turns");
        int warmup = o.get("warmup");
        Logger.getLogger("").setLevel(Level.WARNING);
        Path root = Files.createTempDirectory("claw-agent-bench");
        AtomicInteger containers = new AtomicInteger();
        try (InstantModelServer server = InstantModelServer.start(o.get("modelMs"))) {
            prepare(root, server.baseUrl());
            Gateway gw = Gateway.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(root)),
                    Gateway.Options.defaults().observer(new SandboxObserver() {
                        @Override
                        public void started(String containerId, SandboxCall call) {
                            containers.incrementAndGet();
                        }
                    }));
            try (TurnClient c = TurnClient.connect(gw.port(), TOKEN)) {
                Rounds r = new Rounds(turns);
                Baseline b = Baseline.capture(c, server, gw);
                for (int i = 0; i < warmup; i++) {
                    round(c, server, b, null, i);
                }
                int before = containers.get();
                for (int i = 0; i < turns; i++) {
                    round(c, server, b, r, i);
                }
                int started = containers.get() - before;
                if (started != 0) {
                    throw new IllegalStateException(started + " containers started during the measured rounds: not warm");
                }
                report(r, turns, warmup, o.get("modelMs"), b);
            } finally {
                gw.close();
            }
        } finally {
            deleteTree(root);
        }
    }

    /** The requests the baseline replays, rebuilt from the gateway's first turns. */
    record Baseline(ChatRequest text, ChatRequest tool1, ChatRequest tool2, DirectModel model, boolean identical) {

        static Baseline capture(TurnClient c, InstantModelServer server, Gateway gw) throws IOException {
            reset(c, TEXT_SESSION);
            server.drain();
            c.chat(TEXT_SESSION, TEXT_MESSAGE);
            List<InstantModelServer.Served> textBodies = server.drain();
            reset(c, TOOL_SESSION);
            c.chat(TOOL_SESSION, TOOL_MESSAGE);
            List<InstantModelServer.Served> toolBodies = server.drain();
            if (textBodies.size() != 1 || toolBodies.size() != 2) {
                throw new IllegalStateException("expected 1 and 2 model calls, got " + textBodies.size() + " and " + toolBodies.size());
            }
            JsonNode gwText = TurnClient.JSON.readTree(textBodies.get(0).body());
            JsonNode gwTool2 = TurnClient.JSON.readTree(toolBodies.get(1).body());
            String system = gwText.at("/messages/0/content").asText();
            String toolResult = null;
            for (JsonNode m : gwTool2.path("messages")) {
                if ("tool".equals(m.path("role").asText())) {
                    toolResult = m.path("content").asText();
                }
            }
            List<ToolSpecification> tools = OfferedTools.of(gw.catalog().skills(), (s, t) -> true).specifications();
            ToolExecutionRequest call = DirectModel.call(InstantModelServer.CALL_ID, InstantModelServer.TOOL_FUNCTION,
                    InstantModelServer.TOOL_ARGS);
            DirectModel model = DirectModel.create(server.baseUrl(), "test-model");
            ChatRequest text = DirectModel.first(system, TEXT_MESSAGE, tools);
            ChatRequest tool1 = DirectModel.first(system, TOOL_MESSAGE, tools);
            ChatRequest tool2 = DirectModel.afterTool(system, TOOL_MESSAGE, tools, call, toolResult);
            model.chat(text);
            model.chat(tool1);
            model.chat(tool2);
            List<InstantModelServer.Served> direct = server.drain();
            boolean same = direct.size() == 3 && sameJson(textBodies.get(0), direct.get(0))
                    && sameJson(toolBodies.get(0), direct.get(1)) && sameJson(toolBodies.get(1), direct.get(2));
            if (!same) {
                System.out.println("gateway bodies: " + textBodies.get(0).body() + "\n" + toolBodies.get(1).body());
                System.out.println("direct bodies:  " + direct.get(0).body() + "\n" + direct.get(2).body());
            }
            return new Baseline(text, tool1, tool2, model, same);
        }

        private static boolean sameJson(InstantModelServer.Served a, InstantModelServer.Served b) throws IOException {
            return TurnClient.JSON.readTree(a.body()).equals(TurnClient.JSON.readTree(b.body()));
        }
    }

    private static void round(TurnClient c, InstantModelServer server, Baseline b, Rounds r, int i) throws IOException {
        // (a) text turn, then its baseline.
        reset(c, TEXT_SESSION);
        server.drain();
        TurnClient.Turn text = c.chat(TEXT_SESSION, TEXT_MESSAGE);
        long textModel = InstantModelServer.totalNanos(server.drain());
        if (!InstantModelServer.TEXT.equals(text.text())) {
            throw new IllegalStateException("text turn answered '" + text.text() + "'");
        }
        DirectModel.Timed direct = b.model().chat(b.text());
        long directModel = InstantModelServer.totalNanos(server.drain());

        // (b) tool turn, then its baseline: the two model calls and tools.invoke of the same tool.
        reset(c, TOOL_SESSION);
        server.drain();
        TurnClient.Turn tool = c.chat(TOOL_SESSION, TOOL_MESSAGE);
        List<InstantModelServer.Served> toolServed = server.drain();
        JsonNode end = tool.toolEvents().isEmpty() ? null : tool.toolEvents().get(tool.toolEvents().size() - 1);
        if (toolServed.size() != 2 || end == null || !"ok".equals(end.path("status").asText())
                || !tool.text().startsWith("Found: ") || tool.text().endsWith("nothing")) {
            throw new IllegalStateException("tool turn went wrong: " + tool + " after " + toolServed.size() + " model calls");
        }
        DirectModel.Timed d1 = b.model().chat(b.tool1());
        DirectModel.Timed d2 = b.model().chat(b.tool2());
        ObjectNode invoke = TurnClient.JSON.createObjectNode().put("skill", "obsidian").put("tool", "search_content")
                .put("sessionKey", TOOL_SESSION);
        invoke.set("args", TurnClient.JSON.readTree(InstantModelServer.TOOL_ARGS));
        long t0 = System.nanoTime();
        JsonNode res = TurnClient.ok(c.request("tools.invoke", invoke));
        long invokeNanos = System.nanoTime() - t0;
        if (res.path("isError").asBoolean() || !res.path("text").asText().contains(".md")) {
            throw new IllegalStateException("tools.invoke went wrong: " + res);
        }
        long directToolModel = InstantModelServer.totalNanos(server.drain());
        if (r != null) {
            r.textWall[i] = text.wallNanos();
            r.textModel[i] = textModel;
            r.textAck[i] = text.ackNanos();
            r.directText[i] = direct.nanos();
            r.directTextModel[i] = directModel;
            r.toolWall[i] = tool.wallNanos();
            r.toolModel[i] = InstantModelServer.totalNanos(toolServed);
            r.toolInRun[i] = end.path("durationMs").asLong() * 1_000_000;
            r.directCalls[i] = d1.nanos() + d2.nanos();
            r.directToolModel[i] = directToolModel;
            r.invoke[i] = invokeNanos;
        }
    }

    /** Per-round samples, nanos. */
    static final class Rounds {
        final long[] textWall, textModel, textAck, directText, directTextModel;
        final long[] toolWall, toolModel, toolInRun, directCalls, directToolModel, invoke;

        Rounds(int n) {
            textWall = new long[n];
            textModel = new long[n];
            textAck = new long[n];
            directText = new long[n];
            directTextModel = new long[n];
            toolWall = new long[n];
            toolModel = new long[n];
            toolInRun = new long[n];
            directCalls = new long[n];
            directToolModel = new long[n];
            invoke = new long[n];
        }
    }

    private static void report(Rounds r, int n, int warmup, int modelMs, Baseline b) {
        long[] textOver = new long[n];
        long[] toolOver = new long[n];
        long[] toolBase = new long[n];
        long[] textAdded = new long[n];
        long[] toolAdded = new long[n];
        for (int i = 0; i < n; i++) {
            textOver[i] = r.textWall[i] - r.textModel[i];
            toolOver[i] = r.toolWall[i] - r.toolModel[i];
            toolBase[i] = r.directCalls[i] + r.invoke[i];
            textAdded[i] = textOver[i] - r.directText[i];
            toolAdded[i] = toolOver[i] - toolBase[i];
        }
        System.out.printf("%nagent turns: %d measured rounds after %d warmup rounds; model server delay %d ms; "
                + "baseline request bodies identical to the gateway's: %s%n", n, warmup, modelMs, b.identical() ? "yes" : "NO");
        System.out.printf("model server time per turn p50: text %.3f ms, tool %.3f ms (subtracted); raw turn wall p50: "
                + "text %.2f ms, tool %.2f ms%n", ms(r.textModel, 50), ms(r.toolModel, 50), ms(r.textWall, 50), ms(r.toolWall, 50));
        BenchReport t = new BenchReport();
        t.add("text turn - model time, p50 (vs l4j call)", ms(textOver, 50), ms(r.directText, 50), "ms", Goal.NONE, 0);
        t.add("text turn - model time, p90 (vs l4j call)", ms(textOver, 90), ms(r.directText, 90), "ms", Goal.NONE, 0);
        t.add("tool turn - model time, p50 (vs 2 calls+inv)", ms(toolOver, 50), ms(toolBase, 50), "ms", Goal.NONE, 0);
        t.add("tool turn - model time, p90 (vs 2 calls+inv)", ms(toolOver, 90), ms(toolBase, 90), "ms", Goal.NONE, 0);
        t.add("text turn: added over baseline, p50", ms(textAdded, 50), 0, "ms", Goal.NONE, 0);
        t.add("text turn: added over baseline, p90", ms(textAdded, 90), 0, "ms", Goal.NONE, 0);
        t.add("tool turn: added over baseline, p50", ms(toolAdded, 50), 0, "ms", Goal.NONE, 0);
        t.add("tool turn: added over baseline, p90", ms(toolAdded, 90), 0, "ms", Goal.NONE, 0);
        t.add("tool in run (durationMs) vs tools.invoke p50", ms(r.toolInRun, 50), ms(r.invoke, 50), "ms", Goal.NONE, 0);
        t.add("chat.send ack, text turn, p50", ms(r.textAck, 50), 0, "ms", Goal.NONE, 0);
        t.add("2 direct l4j calls (tool turn's), p50", ms(r.directCalls, 50), 0, "ms", Goal.NONE, 0);
        t.print();
    }

    private static double ms(long[] xs, int pct) {
        return Latencies.percentile(xs, pct) / 1e6;
    }

    private static void reset(TurnClient c, String sessionKey) throws IOException {
        c.request("sessions.reset", TurnClient.JSON.createObjectNode().put("sessionKey", sessionKey)); // absent: fine
    }

    private static void prepare(Path root, String modelUrl) throws IOException {
        Files.writeString(root.resolve("openclaw.json"), "{\"models\":{\"providers\":{\"local\":{\"api\":\"openai-compatible\","
                + "\"baseUrl\":\"" + modelUrl + "\",\"models\":[\"test-model\"]}},\"routing\":{\"planner\":\"local/test-model\"}}}");
        Path ws = Files.createDirectories(root.resolve("workspace"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(ws.resolve("note" + i + ".md"), "line one\n" + (i % 10 == 0 ? "some text about benchmarks " : "other text ")
                    + i + "\n");
        }
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> o = new java.util.HashMap<>(Map.of("turns", 50, "warmup", 10, "modelMs", 0));
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0 || !o.containsKey(a.substring(0, eq))) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; expected name=value with name in " + o.keySet());
            }
            int v = Integer.parseInt(a.substring(eq + 1));
            if (v < 0 || (v == 0 && a.startsWith("turns"))) {
                throw new IllegalArgumentException(a + ": must be positive");
            }
            o.put(a.substring(0, eq), v);
        }
        return o;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package ai.clawbot.bench;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.bench.BenchReport.Goal;
import ai.clawbot.host.agents.OfferedTools;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.testkit.model.LocalModelServer;
import ai.clawbot.testkit.model.ToolCallingModel;
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
 * OpenAI-compatible server (the test kit's {@link LocalModelServer} playing {@link ToolCallingModel}) that answers at
 * once and times each request it serves.
 * N warm rounds, each: (a) a text-only turn; its baseline, the same model call made directly with langchain4j;
 * (b) a turn in which the model calls {@code obsidian.search_content} once (warm container); its baseline, the same
 * two model calls made directly plus a direct {@code tools.invoke} of the same tool over the same connection. The
 * model server's own time is subtracted from the turns and from the direct calls alike.
 * A turn is timed from {@code chat.send} leaving the client to the run's final {@code chat} event arriving.
 * Sessions are reset (untimed) before each turn,
 * so every turn carries the same history and the same request bodies; the session scope, and so the warm
 * container, stays.
 *
 * <p>Each turn is run twice per round: once with a plain client, and once ("qa") with a client that sets Linux
 * TCP_QUICKACK after every frame it reads. The gateway's WebSocket sockets have no TCP_NODELAY (Helidon's default),
 * so a small frame written while the previous one is unacknowledged waits for the client's delayed ACK (~40 ms on
 * Linux); the plain figure is what a client sees today, the "qa" figure the gateway's own cost without that hold.
 *
 * <p>{@code ./bench/run-agent.sh [turns=50] [warmup=10] [modelMs=0]}; needs Docker and the sandbox image.
 */
public final class AgentTurnBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String TEXT_SESSION = "agent:default:bench-text";
    private static final String TOOL_SESSION = "agent:default:bench-tool";
    private static final String TEXT_MESSAGE = "Say hello.";
    /** A user message containing this makes the model call the tool; any other gets a short text. */
    static final String TOOL_MARK = "[tool]";
    static final String CALL_ID = "call_bench_1";
    static final String TOOL_FUNCTION = "obsidian__search_content";
    static final String TOOL_ARGS = "{\"query\":\"benchmarks\"}";
    private static final String TOOL_MESSAGE = TOOL_MARK + " Which notes talk about benchmarks?";

    /** The model server; {@code modelMs} sleeps before answering, to play a model that takes time. */
    private static LocalModelServer modelServer(long modelMs) throws IOException {
        // Real model servers (uvicorn, Ollama, llama.cpp) stream with TCP_NODELAY; the JDK server does not by default,
        // and Nagle plus the client's delayed ACK would add ~40 ms per small SSE chunk that no handler timing sees.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ToolCallingModel model = ToolCallingModel.calling(CALL_ID, TOOL_FUNCTION, TOOL_ARGS).onlyWhenAskedWith(TOOL_MARK);
        return LocalModelServer.start((request, exchange) -> {
            if (modelMs > 0) {
                Thread.sleep(modelMs);
            }
            model.respond(request, exchange);
        });
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = options(args);
        int turns = o.get("turns");
        int warmup = o.get("warmup");
        Logger.getLogger("").setLevel(Level.WARNING);
        Path root = Files.createTempDirectory("claw-agent-bench");
        AtomicInteger containers = new AtomicInteger();
        try (LocalModelServer server = modelServer(o.get("modelMs"))) {
            prepare(root, server.v1Url());
            Gateway gw = Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(root)),
                    Gateway.Options.defaults().observer(new SandboxObserver() {
                        @Override
                        public void started(String containerId, SandboxCall call) {
                            containers.incrementAndGet();
                        }
                    }));
            try (TurnClient c = TurnClient.connect(gw.port(), TOKEN)) {
                Samples r = new Samples(turns);
                Samples discard = new Samples(Math.max(1, warmup));
                Baseline b = Baseline.capture(c, server, gw);
                for (int i = 0; i < warmup; i++) {
                    round(c, server, b, discard, i);
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
            GatewayBench.deleteTree(root);
        }
    }

    /** The requests the baseline replays, rebuilt from the gateway's first turns. */
    record Baseline(ChatRequest text, ChatRequest tool1, ChatRequest tool2, DirectModel model, boolean identical) {

        static Baseline capture(TurnClient c, LocalModelServer server, Gateway gw) throws IOException {
            reset(c, TEXT_SESSION);
            server.drain();
            c.chat(TEXT_SESSION, TEXT_MESSAGE);
            List<LocalModelServer.Served> textBodies = server.drain(1);
            reset(c, TOOL_SESSION);
            c.chat(TOOL_SESSION, TOOL_MESSAGE);
            List<LocalModelServer.Served> toolBodies = server.drain(2);
            if (textBodies.size() != 1 || toolBodies.size() != 2) {
                throw new IllegalStateException("expected 1 and 2 model calls, got " + textBodies.size() + " and " + toolBodies.size());
            }
            JsonNode gwText = TurnClient.JSON.readTree(textBodies.get(0).request().body());
            JsonNode gwTool2 = TurnClient.JSON.readTree(toolBodies.get(1).request().body());
            String system = gwText.at("/messages/0/content").asText();
            String toolResult = null;
            for (JsonNode m : gwTool2.path("messages")) {
                if ("tool".equals(m.path("role").asText())) {
                    toolResult = m.path("content").asText();
                }
            }
            List<ToolSpecification> tools = OfferedTools.of(gw.catalog().skills(), (s, t) -> true).specifications();
            ToolExecutionRequest call = DirectModel.call(CALL_ID, TOOL_FUNCTION,
                    TOOL_ARGS);
            DirectModel model = DirectModel.create(server.v1Url(), "test-model");
            ChatRequest text = DirectModel.first(system, TEXT_MESSAGE, tools);
            ChatRequest tool1 = DirectModel.first(system, TOOL_MESSAGE, tools);
            ChatRequest tool2 = DirectModel.afterTool(system, TOOL_MESSAGE, tools, call, toolResult);
            model.chat(text);
            model.chat(tool1);
            model.chat(tool2);
            List<LocalModelServer.Served> direct = server.drain(3);
            boolean same = direct.size() == 3 && sameJson(textBodies.get(0), direct.get(0))
                    && sameJson(toolBodies.get(0), direct.get(1)) && sameJson(toolBodies.get(1), direct.get(2));
            if (!same) {
                System.out.println("gateway bodies: " + textBodies.get(0).request().body() + "\n" + toolBodies.get(1).request().body());
                System.out.println("direct bodies:  " + direct.get(0).request().body() + "\n" + direct.get(2).request().body());
            }
            return new Baseline(text, tool1, tool2, model, same);
        }

        private static boolean sameJson(LocalModelServer.Served a, LocalModelServer.Served b) throws IOException {
            return TurnClient.JSON.readTree(a.request().body()).equals(TurnClient.JSON.readTree(b.request().body()));
        }
    }

    private static void round(TurnClient c, LocalModelServer server, Baseline b, Samples r, int i) throws IOException {
        for (boolean quickAck : new boolean[] {false, true}) {
            String mode = quickAck ? ".qa" : "";
            // (a) text turn.
            reset(c, TEXT_SESSION);
            server.drain();
            TurnClient.Turn text = c.chat(TEXT_SESSION, TEXT_MESSAGE, quickAck);
            long textModel = LocalModelServer.totalNanos(server.drain(1));
            if (!ToolCallingModel.TEXT.equals(text.text())) {
                throw new IllegalStateException("text turn answered '" + text.text() + "'");
            }
            // (b) tool turn.
            reset(c, TOOL_SESSION);
            server.drain();
            TurnClient.Turn tool = c.chat(TOOL_SESSION, TOOL_MESSAGE, quickAck);
            List<LocalModelServer.Served> toolServed = server.drain(2);
            JsonNode end = tool.toolEvents().isEmpty() ? null : tool.toolEvents().get(tool.toolEvents().size() - 1);
            if (toolServed.size() != 2 || end == null || !"ok".equals(end.path("status").asText())
                    || !tool.text().startsWith("Found: ") || tool.text().endsWith("nothing")) {
                throw new IllegalStateException("tool turn went wrong: " + tool + " after " + toolServed.size() + " model calls");
            }
            r.put("textOver" + mode, i, text.wallNanos() - textModel);
            r.put("textModel" + mode, i, textModel);
            r.put("textAck" + mode, i, text.ackNanos());
            r.put("textFirst" + mode, i, text.firstEventNanos());
            r.put("toolOver" + mode, i, tool.wallNanos() - LocalModelServer.totalNanos(toolServed));
            r.put("toolModel" + mode, i, LocalModelServer.totalNanos(toolServed));
            r.put("toolInRun" + mode, i, end.path("durationMs").asLong() * 1_000_000);
        }
        // Baselines: the text turn's model call; the tool turn's two model calls and tools.invoke of the same tool.
        // The model server's time is taken off these too (a few tenths of a ms at modelMs=0), so both sides compare
        // like with like at any modelMs.
        server.drain();
        long text = b.model().chat(b.text()).nanos();
        long textModel = LocalModelServer.totalNanos(server.drain(1));
        long calls = b.model().chat(b.tool1()).nanos() + b.model().chat(b.tool2()).nanos();
        long callsModel = LocalModelServer.totalNanos(server.drain(2));
        r.put("directText", i, text - textModel);
        r.put("directCalls", i, calls - callsModel);
        r.put("directModel", i, textModel + callsModel);
        ObjectNode invoke = TurnClient.JSON.createObjectNode().put("skill", "obsidian").put("tool", "search_content")
                .put("sessionKey", TOOL_SESSION);
        invoke.set("args", TurnClient.JSON.readTree(TOOL_ARGS));
        long t0 = System.nanoTime();
        JsonNode res = TurnClient.ok(c.request("tools.invoke", invoke));
        r.put("invoke", i, System.nanoTime() - t0);
        if (res.path("isError").asBoolean() || !res.path("text").asText().contains(".md")) {
            throw new IllegalStateException("tools.invoke went wrong: " + res);
        }
        r.put("toolBase", i, r.get("directCalls")[i] + r.get("invoke")[i]);
        for (String mode : new String[] {"", ".qa"}) {
            r.put("textAdded" + mode, i, r.get("textOver" + mode)[i] - r.get("directText")[i]);
            r.put("toolAdded" + mode, i, r.get("toolOver" + mode)[i] - r.get("toolBase")[i]);
        }
    }

    /** Per-round samples (nanos) by name; warmup rounds write to a throw-away instance. */
    static final class Samples {
        private final int n;
        private final Map<String, long[]> byName = new java.util.HashMap<>();

        Samples(int n) {
            this.n = n;
        }

        void put(String name, int i, long nanos) {
            byName.computeIfAbsent(name, k -> new long[n])[i % n] = nanos;
        }

        long[] get(String name) {
            return byName.get(name);
        }
    }

    private static void report(Samples r, int n, int warmup, int modelMs, Baseline b) {
        System.out.printf("%nagent turns: %d measured rounds after %d warmup rounds; model server delay %d ms; "
                + "baseline request bodies identical to the gateway's: %s%n", n, warmup, modelMs, b.identical() ? "yes" : "NO");
        System.out.printf("model server time subtracted per turn, p50: text %.3f ms, tool %.3f ms (baseline calls: %.3f ms)%n",
                ms(r.get("textModel"), 50), ms(r.get("toolModel"), 50), ms(r.get("directModel"), 50));
        System.out.println("'qa': the client sets TCP_QUICKACK after every read, so the gateway's Nagle hold (no TCP_NODELAY) "
                + "is released at once: the gateway's own cost");
        BenchReport t = new BenchReport();
        for (String mode : new String[] {"", ".qa"}) {
            String m = mode.isEmpty() ? "" : " qa";
            for (int pct : new int[] {50, 90}) {
                t.add("text turn - model" + m + ", p" + pct + " (vs l4j call)", ms(r.get("textOver" + mode), pct),
                        ms(r.get("directText"), pct), "ms", Goal.NONE, 0);
            }
            for (int pct : new int[] {50, 90}) {
                t.add("tool turn - model" + m + ", p" + pct + " (vs 2 calls+inv)", ms(r.get("toolOver" + mode), pct),
                        ms(r.get("toolBase"), pct), "ms", Goal.NONE, 0);
            }
        }
        for (String mode : new String[] {"", ".qa"}) {
            String m = mode.isEmpty() ? "" : " qa";
            t.add("text turn added over baseline" + m + ", p50", ms(r.get("textAdded" + mode), 50), 0, "ms", Goal.NONE, 0);
            t.add("tool turn added over baseline" + m + ", p50", ms(r.get("toolAdded" + mode), 50), 0, "ms", Goal.NONE, 0);
        }
        t.add("text turn: 1st run event vs ack, p50", ms(r.get("textFirst"), 50), ms(r.get("textAck"), 50), "ms", Goal.NONE, 0);
        t.add("text turn qa: 1st run event vs ack, p50", ms(r.get("textFirst.qa"), 50), ms(r.get("textAck.qa"), 50), "ms",
                Goal.NONE, 0);
        t.add("tool in run qa (durationMs) vs invoke, p50", ms(r.get("toolInRun.qa"), 50), ms(r.get("invoke"), 50), "ms",
                Goal.NONE, 0);
        t.print();
        System.out.println("(The issue sets no target for these figures: every row is information, so the line above says nothing.)");
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
}

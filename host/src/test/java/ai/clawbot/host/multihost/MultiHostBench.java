package ai.clawbot.host.multihost;

import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The multi-host benchmark ({@code bench/run-multihost.sh}; not part of the suite): event fan-out latency A→B and
 * {@code chat.send} throughput (acknowledged, i.e. durable, sends per second) with the file store on one gateway,
 * PostgreSQL on one gateway, and PostgreSQL on two gateways, all in the same run.
 */
@EnabledIfSystemProperty(named = "claw.bench", matches = "1")
class MultiHostBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final int SENDS = Integer.getInteger("bench.sends", 100);
    private static final int RUNS = Integer.getInteger("bench.runs", 100);
    private static final AgentEngine ECHO = (turn, out) -> {
        for (int i = 0; i < 5; i++) {
            out.assistantDelta("d" + i + " ");
        }
        return new AgentEngine.Reply("ok", "stop");
    };

    @Test
    void run() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            Path files = Files.createTempDirectory("bench-file");
            double fileRate;
            try (Gateway g = TestGateway.start(files, Gateway.Options.defaults().engine(() -> ECHO))) {
                fileRate = throughput(List.of(g));
            }
            String url = pg.createDatabase();
            Path a = state(url, "bench-a");
            Path b = state(url, "bench-b");
            double pgOne;
            double pgTwo;
            List<Long> fanout;
            try (Gateway ga = TestGateway.start(a, Gateway.Options.defaults().engine(() -> ECHO));
                 Gateway gb = TestGateway.start(b, Gateway.Options.defaults().engine(() -> ECHO))) {
                pgOne = throughput(List.of(ga));
                pgTwo = throughput(List.of(ga, gb));
                fanout = fanoutLatency(ga, gb);
            }
            Collections.sort(fanout);
            System.out.printf("MultiHostBench: chat.send throughput, %d clients x %d sends (acks/s):%n", CLIENTS, SENDS);
            System.out.printf("  file store, 1 gateway        %8.1f  (baseline)%n", fileRate);
            System.out.printf("  postgres,   1 gateway        %8.1f  (%.2fx)%n", pgOne, pgOne / fileRate);
            System.out.printf("  postgres,   2 gateways       %8.1f  (%.2fx)%n", pgTwo, pgTwo / fileRate);
            System.out.printf("MultiHostBench: fan-out A->B, %d events: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", fanout.size(),
                    fanout.get(fanout.size() / 2) / 1e6, fanout.get((int) (fanout.size() * 0.99)) / 1e6,
                    fanout.getLast() / 1e6);
            TestGateway.deleteTree(files);
            TestGateway.deleteTree(a);
            TestGateway.deleteTree(b);
        }
    }

    private static Path state(String url, String name) throws Exception {
        Path p = Files.createTempDirectory(name);
        Files.writeString(p.resolve("openclaw.json"), "{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\": \"" + url
                + "\", \"maxPoolSize\": 16}}}");
        return p;
    }

    /** CLIENTS clients (spread over the gateways), each sending SENDS messages to its own session; acks per second. */
    private static double throughput(List<Gateway> gateways) throws Exception {
        List<ProtocolClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(ProtocolClient.connect(gateways.get(i % gateways.size()).webSocketUri(), TestGateway.TOKEN));
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                ProtocolClient c = clients.get(i);
                String session = "agent:default:bench-" + run + "-" + i;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < SENDS; n++) {
                        JsonNode res = c.request("chat.send", JSON.createObjectNode().put("sessionKey", session)
                                .put("message", "m" + n).put("idempotencyKey", UUID.randomUUID().toString()));
                        if (!res.path("ok").asBoolean()) {
                            throw new IllegalStateException(res.toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return CLIENTS * SENDS / seconds;
        } finally {
            clients.forEach(ProtocolClient::close);
        }
    }

    /** For each event of RUNS runs on A: when a client on B got it minus when a client on A got it (same clock). */
    private static List<Long> fanoutLatency(Gateway a, Gateway b) throws Exception {
        List<Long> latencies = new ArrayList<>();
        try (ProtocolClient onA = ProtocolClient.connect(a.webSocketUri(), TestGateway.TOKEN);
             ProtocolClient onB = ProtocolClient.connect(b.webSocketUri(), TestGateway.TOKEN)) {
            ConcurrentHashMap<String, Long> seenOnA = new ConcurrentHashMap<>();
            for (int r = 0; r < RUNS; r++) {
                JsonNode ack = onA.request("chat.send", JSON.createObjectNode().put("sessionKey", "agent:default:fanout")
                        .put("message", "r" + r).put("idempotencyKey", UUID.randomUUID().toString()));
                String runId = ack.path("payload").path("runId").asText();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        onA.eventsUntil(e -> {
                            seenOnA.put(key(e), System.nanoTime());
                            return isEnd(e, runId);
                        }, Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                List<Long> onBAt = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                onB.eventsUntil(e -> {
                    onBAt.add(System.nanoTime());
                    keys.add(key(e));
                    return isEnd(e, runId);
                }, Duration.ofSeconds(30));
                reader.join();
                for (int i = 0; i < keys.size(); i++) {
                    Long atA = seenOnA.get(keys.get(i));
                    if (atA != null && keys.get(i).contains(runId)) {
                        latencies.add(onBAt.get(i) - atA);
                    }
                }
            }
        }
        return latencies;
    }

    private static String key(JsonNode e) {
        return e.path("event").asText() + e.path("payload").toString();
    }

    private static boolean isEnd(JsonNode e, String runId) {
        return "agent".equals(e.path("event").asText()) && runId.equals(e.path("payload").path("runId").asText())
                && "end".equals(e.path("payload").path("data").path("phase").asText());
    }
}

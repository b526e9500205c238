package ai.clawbot.host.policy;

import static ai.clawbot.host.policy.PolicyFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.observe.SecretRedactor;
import ai.clawbot.plugin.manifest.Effect;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyAuditTest {

    private static final String VAULT_VALUE = "hunter2-the-vault-value-XYZ";

    @TempDir
    Path state;

    private final List<String> julLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            julLines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private boolean parentHandlers;

    @BeforeEach
    void listen() {
        Logger log = Logger.getLogger(PolicyAudit.LOGGER);
        parentHandlers = log.getUseParentHandlers();
        log.setUseParentHandlers(false); // thousands of lines on the console would only slow the test
        log.addHandler(capture);
    }

    @AfterEach
    void unlisten() {
        Logger log = Logger.getLogger(PolicyAudit.LOGGER);
        log.removeHandler(capture);
        log.setUseParentHandlers(parentHandlers);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(state.resolve("logs/audit.jsonl"), StandardCharsets.UTF_8)) {
            out.add(PolicyFixtures.JSON.readTree(l));
        }
        return out;
    }

    private static Decision.Denied refusal() {
        return (Decision.Denied) PolicyChain.of(PolicyFixtures.layer("agent:researcher", "{'skills': ['obsidian']}"))
                .decide(PolicyFixtures.CATALOG, "himalaya.send");
    }

    @Test
    void aRefusalIsOneParseableLineInTheFileAndOnTheLogger() throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
        PolicyAudit audit = PolicyAudit.create(state, null, fixed);
        audit.refused("researcher", "agent:researcher:main", "himalaya", "send", refusal(), json("{'to': 'bob'}"));

        assertThat(audit.file()).isEqualTo(state.resolve("logs").resolve("audit.jsonl"));
        assertThat(lines()).singleElement().satisfies(l -> {
            assertThat(l.get("ts").asText()).isEqualTo("2026-05-01T10:00:00Z");
            assertThat(l.get("agentId").asText()).isEqualTo("researcher");
            assertThat(l.get("sessionKey").asText()).isEqualTo("agent:researcher:main");
            assertThat(l.get("skill").asText()).isEqualTo("himalaya");
            assertThat(l.get("tool").asText()).isEqualTo("send");
            assertThat(l.get("decision").asText()).isEqualTo("denied");
            assertThat(l.get("layer").asText()).isEqualTo("agent:researcher");
            assertThat(l.get("reason").asText()).isEqualTo("agent 'researcher' does not allow skill 'himalaya'");
            assertThat(l.get("args").asText()).isEqualTo("{\"to\":\"bob\"}");
        });
        assertThat(julLines).singleElement().satisfies(j -> assertThat(PolicyFixtures.JSON.readTree(j))
                .isEqualTo(lines().get(0)));
        assertThat(Files.getPosixFilePermissions(audit.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void argumentsAreCutTo200CharsAndSecretsNeverAppear() throws Exception {
        SecretRedactor redactor = SecretRedactor.create();
        redactor.add(VAULT_VALUE);
        PolicyAudit audit = PolicyAudit.create(state, redactor);
        ObjectNode args = PolicyFixtures.JSON.createObjectNode();
        args.put("password", "pw-in-a-secret-looking-key");
        args.putObject("auth").put("apiKey", "key-in-a-nested-object").put("user", "bob");
        args.put("note", "my value is " + VAULT_VALUE);
        args.put("content", "x".repeat(100_000));
        audit.refused("a", "s", "obsidian", "create", refusal(), args);
        // A vault value that straddles the 200-char cut is masked, not half-shown.
        ObjectNode straddle = PolicyFixtures.JSON.createObjectNode();
        straddle.put("content", "y".repeat(180) + VAULT_VALUE);
        audit.refused("a", "s", "obsidian", "create", refusal(), straddle);

        String file = Files.readString(audit.file());
        assertThat(file).doesNotContain("pw-in-a-secret-looking-key").doesNotContain("key-in-a-nested-object")
                .doesNotContain(VAULT_VALUE).doesNotContain("hunter2").doesNotContain("xxxxxxxxxx".repeat(30));
        assertThat(String.join("\n", julLines)).doesNotContain(VAULT_VALUE).doesNotContain("pw-in-a-secret");
        List<JsonNode> l = lines();
        assertThat(l).hasSize(2);
        String a0 = l.get(0).get("args").asText();
        assertThat(a0).hasSizeLessThanOrEqualTo(PolicyAudit.MAX_ARGS + 1).endsWith("…")
                .contains("\"password\":\"***\"").contains("\"apiKey\":\"***\"").contains("\"user\":\"bob\"");
        String a1 = l.get(1).get("args").asText();
        assertThat(a1).hasSizeLessThanOrEqualTo(PolicyAudit.MAX_ARGS + 1).contains(SecretRedactor.MASK).endsWith("…");
        assertThat(a1).doesNotContain("hunter");
        // The caller's arguments are untouched.
        assertThat(args.get("password").asText()).isEqualTo("pw-in-a-secret-looking-key");
    }

    @Test
    void hostileNamesStayOnOneLineAndAreBounded() throws Exception {
        PolicyAudit audit = PolicyAudit.create(state, null);
        String evil = "obsidian\n{\"decision\":\"approved\"}\r\u0000" + "z".repeat(10_000);
        audit.refused(evil, evil, evil, evil, new Decision.Denied("request", evil), null);
        List<String> raw = Files.readAllLines(audit.file());
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).length()).isLessThan(8 * 1024);
        JsonNode l = lines().get(0);
        assertThat(l.get("decision").asText()).isEqualTo("denied");
        assertThat(l.get("tool").asText()).startsWith("obsidian\n{").hasSize(500);
        assertThat(l.get("args").isNull()).isTrue();
    }

    @Test
    void concurrentWritersNeverInterleaveLines() throws Exception {
        PolicyAudit audit = PolicyAudit.create(state, null);
        int threads = 16;
        int each = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String agent = "agent" + t;
            jobs.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    audit.refused(agent, "s" + i, "obsidian", "create", refusal(),
                            json("{'i': " + i + ", 'pad': '" + "p".repeat(150) + "'}"));
                }
                return null;
            }));
        }
        for (Future<?> j : jobs) {
            j.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<JsonNode> l = lines(); // each line parses: none was torn or interleaved
        assertThat(l).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            String agent = "agent" + t;
            assertThat(l.stream().filter(x -> x.get("agentId").asText().equals(agent)).count()).isEqualTo(each);
        }
    }

    @Test
    void approvalDecisionsAreAuditedByTheQueue() throws Exception {
        PolicyAudit audit = PolicyAudit.create(state, null);
        try (ApprovalQueue q = ApprovalQueue.create(audit)) {
            ObjectNode args = PolicyFixtures.JSON.createObjectNode().put("token", "t-should-not-appear-123");
            ApprovalRequest r = ApprovalRequest.of("a", "s", "himalaya", "send", args, Effect.EXTERNAL, "");
            q.request(r, Duration.ofMinutes(1));
            q.resolve(r.id(), "deny", "alice");
        }
        assertThat(lines()).singleElement().satisfies(l -> {
            assertThat(l.get("decision").asText()).isEqualTo("denied");
            assertThat(l.get("reason").asText()).startsWith("denied by alice");
            assertThat(l.get("args").asText()).isEqualTo("{\"token\":\"***\"}");
        });
    }

    @Test
    void anUnwritableLogDoesNotThrowAtTheCaller() throws Exception {
        Files.writeString(state.resolve("logs"), "a file where the folder should be");
        PolicyAudit audit = PolicyAudit.create(state, null);
        audit.refused("a", "s", "obsidian", "create", refusal(), null);
        assertThat(julLines).anySatisfy(j -> assertThat(j).contains("\"decision\":\"denied\""));
    }
}

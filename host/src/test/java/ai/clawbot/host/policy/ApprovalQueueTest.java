package ai.clawbot.host.policy;

import static ai.clawbot.host.policy.PolicyFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.manifest.Effect;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalQueueTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    Path state;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ApprovalQueue queue(int maxPending, int history) {
        ApprovalQueue q = ApprovalQueue.create(PolicyAudit.create(state, null), Clock.systemUTC(), maxPending, history);
        toClose.add(q);
        return q;
    }

    private ApprovalQueue queue() {
        return queue(ApprovalQueue.DEFAULT_MAX_PENDING, ApprovalQueue.DEFAULT_HISTORY);
    }

    private static ApprovalRequest send(String to) {
        return ApprovalRequest.of("researcher", "agent:researcher:main", "himalaya", "send",
                json("{'to': '" + to + "'}"), Effect.EXTERNAL, "workspace=none network=[smtp:465] secrets=[IMAP]");
    }

    private List<JsonNode> auditLines() throws Exception {
        Path f = state.resolve("logs/audit.jsonl");
        if (!Files.exists(f)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            out.add(PolicyFixtures.JSON.readTree(l));
        }
        return out;
    }

    /** Records events, in order. */
    static final class Recorder implements ApprovalListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void requested(ApprovalRequest r) {
            events.add(REQUESTED + " " + r.id());
        }

        @Override
        public void resolved(Resolved r) {
            events.add(RESOLVED + " " + r.request().id() + " " + r.decision().wire());
        }

        void awaitSize(int n) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.size() < n && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertThat(events).hasSizeGreaterThanOrEqualTo(n);
        }
    }

    @Test
    void effectsThatNeedAnOperator() {
        assertThat(ApprovalQueue.needsApproval(Effect.READ)).isFalse();
        assertThat(ApprovalQueue.needsApproval(Effect.WRITE)).isFalse();
        assertThat(ApprovalQueue.needsApproval(Effect.EXTERNAL)).isTrue();
        assertThat(ApprovalQueue.needsApproval(Effect.SECRET)).isTrue();
    }

    @Test
    void anOperatorApproves() throws Exception {
        ApprovalQueue q = queue();
        Recorder rec = new Recorder();
        q.addListener(rec);
        ApprovalRequest req = send("bob@example.com");
        CompletableFuture<ApprovalDecision> f = q.request(req, LONG);

        assertThat(f).isNotDone();
        assertThat(q.pending()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(req.id()).startsWith("appr_");
            assertThat(p.createdAt()).isNotNull();
            assertThat(Duration.between(p.createdAt(), p.expiresAt())).isEqualTo(LONG);
            assertThat(p.args().get("to").asText()).isEqualTo("bob@example.com");
        });

        Resolution r = q.resolve(req.id(), "approve", "alice");
        assertThat(r).isInstanceOf(Resolution.Ok.class);
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(new ApprovalDecision.Approved("alice"));
        assertThat(q.pending()).isEmpty();
        assertThat(q.recent(10)).singleElement().satisfies(x -> {
            assertThat(x.request().id()).isEqualTo(req.id());
            assertThat(x.decision().approved()).isTrue();
        });
        rec.awaitSize(2);
        assertThat(rec.events).containsExactly(ApprovalListener.REQUESTED + " " + req.id(),
                ApprovalListener.RESOLVED + " " + req.id() + " approved");
        assertThat(auditLines()).singleElement().satisfies(l -> {
            assertThat(l.get("decision").asText()).isEqualTo("approved");
            assertThat(l.get("layer").asText()).isEqualTo("approval");
            assertThat(l.get("reason").asText()).isEqualTo("approved by alice");
            assertThat(l.get("skill").asText()).isEqualTo("himalaya");
        });
    }

    @Test
    void anOperatorDenies() throws Exception {
        ApprovalQueue q = queue();
        ApprovalRequest req = send("x@example.com");
        CompletableFuture<ApprovalDecision> f = q.request(req, LONG);
        assertThat(q.resolve(req.id(), "deny", "alice")).isInstanceOf(Resolution.Ok.class);
        ApprovalDecision d = f.get(5, TimeUnit.SECONDS);
        assertThat(d).isInstanceOf(ApprovalDecision.Denied.class);
        assertThat(((ApprovalDecision.Denied) d).by()).isEqualTo("alice");
        assertThat(d.approved()).isFalse();
        assertThat(auditLines()).singleElement().satisfies(l -> assertThat(l.get("decision").asText()).isEqualTo("denied"));
    }

    @Test
    void nobodyAnsweringMeansTimedOutWhichIsNotApproval() throws Exception {
        ApprovalQueue q = queue();
        Recorder rec = new Recorder();
        q.addListener(rec);
        ApprovalRequest req = send("x@example.com");
        CompletableFuture<ApprovalDecision> f = q.request(req, Duration.ofMillis(100));
        ApprovalDecision d = f.get(5, TimeUnit.SECONDS);
        assertThat(d).isEqualTo(new ApprovalDecision.TimedOut(Duration.ofMillis(100)));
        assertThat(d.approved()).isFalse();
        assertThat(q.pending()).isEmpty();
        assertThat(q.recent(1)).singleElement().satisfies(x -> assertThat(x.decision().wire()).isEqualTo("timed_out"));
        // A late approval does not revive it.
        Resolution late = q.resolve(req.id(), "approve", "alice");
        assertThat(late).isInstanceOf(Resolution.AlreadyResolved.class);
        assertThat(((Resolution.AlreadyResolved) late).resolved().decision()).isEqualTo(d);
        rec.awaitSize(2);
        assertThat(rec.events.get(1)).endsWith("timed_out");
        assertThat(auditLines()).singleElement().satisfies(l -> assertThat(l.get("decision").asText()).isEqualTo("timed_out"));
    }

    @Test
    void unknownIdsAndInvalidDecisionsChangeNothing() throws Exception {
        ApprovalQueue q = queue();
        ApprovalRequest req = send("x@example.com");
        CompletableFuture<ApprovalDecision> f = q.request(req, LONG);

        assertThat(q.resolve("appr_nope", "approve", "alice")).isEqualTo(new Resolution.UnknownId("appr_nope"));
        assertThat(q.resolve(null, "approve", "alice")).isEqualTo(new Resolution.UnknownId(null));
        for (String bad : new String[] {"APPROVE", "yes", "approved", " approve", "allow-once", "", null}) {
            Resolution r = q.resolve(req.id(), bad, "alice");
            assertThat(r).isEqualTo(new Resolution.InvalidDecision(bad));
            assertThat(r.message()).startsWith("decision must be \"approve\" or \"deny\"");
        }
        assertThat(f).isNotDone();
        assertThat(q.pending()).extracting(ApprovalRequest::id).containsExactly(req.id());
        assertThat(q.recent(10)).isEmpty();
        assertThat(auditLines()).isEmpty();
    }

    @Test
    void theFirstDecisionStands() throws Exception {
        ApprovalQueue q = queue();
        ApprovalRequest req = send("x@example.com");
        CompletableFuture<ApprovalDecision> f = q.request(req, LONG);
        assertThat(q.resolve(req.id(), "deny", "alice")).isInstanceOf(Resolution.Ok.class);
        Resolution second = q.resolve(req.id(), "approve", "mallory");
        assertThat(second).isInstanceOf(Resolution.AlreadyResolved.class);
        assertThat(second.message()).contains("denied by alice");
        assertThat(f.get(1, TimeUnit.SECONDS).approved()).isFalse();
        assertThat(q.recent(10)).hasSize(1);
        assertThat(auditLines()).hasSize(1);
    }

    @Test
    void aPreApprovedToolIsApprovedAtOnceAndStillAuditedOthersStillWait() throws Exception {
        ApprovalQueue q = queue();
        PreApprovals pre = PreApprovals.fromJson(json("{'autoApprove': ['obsidian.create', 'himalaya.*']}"));
        CompletableFuture<ApprovalDecision> f = q.request(send("x@example.com"), LONG, pre);
        assertThat(f.getNow(null)).isEqualTo(new ApprovalDecision.Approved(ApprovalDecision.Approved.PRE_APPROVED));
        assertThat(q.pending()).isEmpty();
        assertThat(auditLines()).singleElement().satisfies(l -> {
            assertThat(l.get("decision").asText()).isEqualTo("approved");
            assertThat(l.get("reason").asText()).isEqualTo("approved by pre-approved");
        });

        ApprovalRequest web = ApprovalRequest.of("researcher", "s", "web", "fetch", null, Effect.EXTERNAL, "");
        assertThat(q.request(web, LONG, pre)).isNotDone();
        ApprovalRequest lookAlike = ApprovalRequest.of("researcher", "s", "himalaya-x", "send", null, Effect.EXTERNAL, "");
        assertThat(q.request(lookAlike, LONG, pre)).isNotDone();
        assertThat(q.pending()).hasSize(2);
    }

    @Test
    void preApprovalConfigShapes() {
        assertThat(PreApprovals.fromJson(null)).isEqualTo(PreApprovals.none());
        assertThat(PreApprovals.fromJson(json("{}")).patterns()).isEmpty();
        assertThat(PreApprovals.fromJson(json("{'autoApprove': ['*']}")).covers("web", "fetch")).isTrue();
        assertThat(PreApprovals.none().covers("web", "fetch")).isFalse();
        assertThat(PreApprovals.fromJson(json("{'autoApprove': ['web.fetch']}")).covers("web", "fetch ")).isFalse();
        assertThatThrownBy(() -> PreApprovals.fromJson(json("['web.fetch']")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoApprove");
        assertThatThrownBy(() -> PreApprovals.fromJson(json("{'autoapprove': ['web.fetch']}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> PreApprovals.fromJson(json("{'autoApprove': ['Web.fetch']}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("approvals.autoApprove");
        assertThatThrownBy(() -> PreApprovals.fromJson(json("{'autoApprove': 'web.fetch'}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pendingIsBoundedAndOverflowIsDeniedAtOnce() throws Exception {
        ApprovalQueue q = queue(3, 200);
        List<ApprovalRequest> reqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ApprovalRequest r = send(i + "@example.com");
            reqs.add(r);
            assertThat(q.request(r, LONG)).isNotDone();
        }
        CompletableFuture<ApprovalDecision> over = q.request(send("over@example.com"), LONG);
        assertThat(over.getNow(null)).isEqualTo(new ApprovalDecision.Denied(ApprovalDecision.Denied.SYSTEM,
                "too many pending approvals"));
        assertThat(q.pending()).hasSize(3);
        q.resolve(reqs.get(0).id(), "deny", "alice");
        assertThat(q.request(send("next@example.com"), LONG)).isNotDone();
        assertThat(q.pending()).hasSize(3);
    }

    @Test
    void historyIsBoundedNewestFirst() {
        ApprovalQueue q = queue(100, 5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ApprovalRequest r = send(i + "@example.com");
            ids.add(r.id());
            q.request(r, LONG);
            q.resolve(r.id(), "approve", "alice");
        }
        assertThat(q.recent(100)).extracting(x -> x.request().id())
                .containsExactly(ids.get(7), ids.get(6), ids.get(5), ids.get(4), ids.get(3));
        assertThat(q.recent(2)).hasSize(2);
        assertThat(q.recent(0)).isEmpty();
        assertThatThrownBy(() -> q.recent(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(q.resolve(ids.get(0), "deny", "alice")).isInstanceOf(Resolution.UnknownId.class);
    }

    @Test
    void badRequestsAreRefusedAndLeaveTheQueueAsItWas() {
        ApprovalQueue q = queue();
        ApprovalRequest r = send("x@example.com");
        assertThatThrownBy(() -> q.request(r, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.request(r, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.request(r, Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class);
        q.request(r, LONG);
        assertThatThrownBy(() -> q.request(r, LONG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already used");
        q.resolve(r.id(), "approve", "a");
        assertThatThrownBy(() -> q.request(r, LONG)).isInstanceOf(IllegalArgumentException.class);
        assertThat(q.pending()).isEmpty();
        assertThat(q.recent(10)).hasSize(1);
    }

    @Test
    void theArgumentsTheOperatorSeesCannotBeChangedAfterTheRequest() {
        ApprovalQueue q = queue();
        ObjectNode args = (ObjectNode) json("{'to': 'bob@example.com'}");
        ApprovalRequest r = ApprovalRequest.of("a", "s", "himalaya", "send", args, Effect.EXTERNAL, "");
        q.request(r, LONG);
        args.put("to", "mallory@example.com");
        ((ObjectNode) q.pending().get(0).args()).put("to", "eve@example.com");
        assertThat(q.pending().get(0).args().get("to").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void closingDeniesEverythingWaitingAndLaterRequests() throws Exception {
        ApprovalQueue q = queue();
        CompletableFuture<ApprovalDecision> f = q.request(send("x@example.com"), LONG);
        q.close();
        assertThat(f.get(1, TimeUnit.SECONDS)).isInstanceOf(ApprovalDecision.Denied.class);
        assertThat(q.request(send("y@example.com"), LONG, PreApprovals.fromJson(json("{'autoApprove': ['*']}")))
                .getNow(null)).isInstanceOf(ApprovalDecision.Denied.class);
    }

    @Test
    void aThrowingListenerDoesNotStopOthersOrTheQueue() throws Exception {
        ApprovalQueue q = queue();
        q.addListener(new ApprovalListener() {
            @Override
            public void requested(ApprovalRequest r) {
                throw new IllegalStateException("boom");
            }
        });
        Recorder rec = new Recorder();
        q.addListener(rec);
        ApprovalRequest r = send("x@example.com");
        CompletableFuture<ApprovalDecision> f = q.request(r, LONG);
        q.resolve(r.id(), "approve", "alice");
        assertThat(f.get(1, TimeUnit.SECONDS).approved()).isTrue();
        rec.awaitSize(2);
    }

    /** Many requests, resolved by racing threads (and some by their timeout): each ends exactly once. */
    @Test
    void concurrentResolversAndTimeoutsDecideEachRequestExactlyOnce() throws Exception {
        int n = 600;
        ApprovalQueue q = queue(n, n);
        Recorder rec = new Recorder();
        q.addListener(rec);
        Map<String, CompletableFuture<ApprovalDecision>> futures = new ConcurrentHashMap<>();
        Map<String, Resolved> oks = new ConcurrentHashMap<>();
        AtomicInteger okCount = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) { // producers; every 10th request times out quickly
            int base = t;
            jobs.add(pool.submit(() -> {
                go.await();
                for (int i = base; i < n; i += 4) {
                    ApprovalRequest r = send(i + "@example.com");
                    Duration timeout = i % 10 == 0 ? Duration.ofMillis(1 + i % 7) : LONG;
                    futures.put(r.id(), q.request(r, timeout));
                }
                return null;
            }));
        }
        for (int t = 0; t < 12; t++) { // resolvers race on the same ids
            String decision = t % 2 == 0 ? "approve" : "deny";
            String by = "op" + t;
            jobs.add(pool.submit(() -> {
                go.await();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < end && (futures.size() < n || !q.pending().isEmpty())) {
                    List<ApprovalRequest> p = new ArrayList<>(q.pending());
                    Collections.shuffle(p);
                    for (ApprovalRequest r : p) {
                        Resolution res = q.resolve(r.id(), decision, by);
                        if (res instanceof Resolution.Ok ok) {
                            okCount.incrementAndGet();
                            assertThat(oks.put(r.id(), ok.resolved())).as("two Oks for one id").isNull();
                        } else {
                            assertThat(res).isInstanceOfAny(Resolution.AlreadyResolved.class);
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (var j : jobs) {
            j.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(futures).hasSize(n);
        assertThat(q.pending()).isEmpty();
        List<Resolved> history = q.recent(n);
        assertThat(history).hasSize(n);
        assertThat(history.stream().map(x -> x.request().id()).distinct().count()).isEqualTo(n);
        int timedOut = 0;
        for (Resolved h : history) {
            ApprovalDecision got = futures.get(h.request().id()).get(5, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(h.decision()); // the caller saw what the history records
            Resolved ok = oks.get(h.request().id());
            if (got instanceof ApprovalDecision.TimedOut) {
                timedOut++;
                assertThat(ok).isNull();
            } else {
                assertThat(ok).isNotNull();
                assertThat(ok.decision()).isEqualTo(got);
            }
        }
        assertThat(okCount.get() + timedOut).isEqualTo(n);
        rec.awaitSize(2 * n);
        assertThat(rec.events).hasSize(2 * n);
        // Each id's requested event precedes its resolved event.
        Map<String, Integer> firstSeen = new ConcurrentHashMap<>();
        for (int i = 0; i < rec.events.size(); i++) {
            String[] e = rec.events.get(i).split(" ");
            if (e[0].equals(ApprovalListener.REQUESTED)) {
                firstSeen.put(e[1], i);
            } else {
                assertThat(firstSeen).containsKey(e[1]);
            }
        }
        assertThat(auditLines()).hasSize(n);
    }
}

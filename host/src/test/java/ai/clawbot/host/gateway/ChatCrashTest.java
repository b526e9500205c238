package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.agents.SessionKeys;
import ai.clawbot.host.gateway.ChatLedger.Msg;
import ai.clawbot.host.testkit.ProtocolClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise of {@code chat.send}, tested the hard way: a real gateway in a child JVM
 * ({@link GatewayChild}) takes {@code chat.send}s from {@value #WORKERS} WebSocket clients in parallel over
 * eight sessions of three agents and is SIGKILLed after a random number of acknowledgements, with sends still
 * in flight. Each round restarts a gateway on the same state folder; after every restart the acknowledged
 * messages must all be there, through the protocol ({@code chat.history}, {@code sessions.list}) and on disk
 * (every transcript line parses; the entry id matches the ack's {@code messageId}).
 *
 * <p>Clients retry what a kill left unanswered, with the same idempotencyKey, as a real client would. The
 * gateway remembers idempotency keys from the transcript after a restart, so neither a repeat in one lifetime nor
 * a retry after a restart may store a second copy.
 *
 * <p>{@code -Dchatcrash.seed=N} replays the random choices (not the thread timing); {@code -Dchatcrash.rounds=N} soaks.
 */
class ChatCrashTest {

    static final int WORKERS = 8;
    private static final int ROUNDS = Integer.getInteger("chatcrash.rounds", 5);
    private static final int MIN_SENDS = 1000;
    private static final int PROBES_PER_RESTART = 2;
    private static final String TOKEN = "chat-crash-token-0123456789abcdef";
    /** "main" exercises canonicalisation (agent:default:main); the others name their agent. */
    private static final List<String> SESSIONS = List.of("main", "agent:default:s1", "agent:default:s2",
            "agent:coder:s1", "agent:coder:s2", "agent:coder:main", "agent:researcher:s1", "agent:researcher:s2");

    @TempDir
    Path tmp;

    private final ChatLedger ledger = new ChatLedger();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    /** Key -> copies stored, for keys a client re-sent after a restart (reported, not failed). */
    private final Map<String, Integer> retryDuplicates = new TreeMap<>();
    private final Map<String, Integer> probeDuplicates = new TreeMap<>();
    /** After the last restart: acknowledged messages whose run left no reply (it died with its gateway). */
    private int unanswered;

    /** What one gateway lifetime saw. */
    private record RoundStats(int round, long startMs, int retried, int retriedAcked, int probes, int probesStarted, int target,
                              int delayMicros, long sendMs, int sends, int acks, int repeats, int inFlightAtKill, int tornTails) {
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyAcknowledgedChatSendSurvivesSigkillOfTheGateway() throws Exception {
        long seed = Long.getLong("chatcrash.seed", System.nanoTime());
        Random random = new Random(seed);
        String why = "seed " + seed + " (replay with -Dchatcrash.seed=" + seed + ")";
        System.out.println("ChatCrashTest: " + why);
        Path state = tmp.resolve("state");
        long t0 = System.nanoTime();
        List<RoundStats> stats = new ArrayList<>();
        int ackedSoFar = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            boolean last = round == ROUNDS; // the last lifetime only verifies what the kills left
            try (ChildGateway child = ChildGateway.start(state, TOKEN, tmp.resolve("child-" + round + ".err"), 60_000)) {
                ProtocolClient admin = connectChecked(child, List.of(), round, why);
                try {
                    if (round > 0) {
                        verify(state, admin, round, why);
                    }
                    if (last) {
                        break;
                    }
                    int[] retried = round > 0 ? retryAndProbe(admin, round, random) : new int[4];
                    int target = 150 + random.nextInt(151);
                    if (round == ROUNDS - 1) {
                        target = Math.max(target, MIN_SENDS - ackedSoFar + 20); // keep the total above 1,000
                    }
                    int delayMicros = random.nextInt(3_000);
                    RoundStats s = sendAndKill(child, round, target, delayMicros, random.nextLong(), retried, why);
                    ackedSoFar += s.acks() + retried[1];
                    stats.add(s);
                } finally {
                    admin.close();
                }
            }
            // Before the next gateway repairs anything: only a torn last line may fail to parse.
            SessionFiles.Scan raw = SessionFiles.scan(state, true);
            assertThat(raw.problems()).as("round %d, on disk right after SIGKILL; %s", round, why).isEmpty();
            RoundStats s = stats.get(round);
            stats.set(round, new RoundStats(s.round(), s.startMs(), s.retried(), s.retriedAcked(), s.probes(), s.probesStarted(),
                    s.target(), s.delayMicros(), s.sendMs(), s.sends(), s.acks(), s.repeats(), s.inFlightAtKill(), raw.tornTails()));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        report(stats, ms, why);
        int sends = stats.stream().mapToInt(s -> s.sends() + s.repeats() + s.retried() + s.probes()).sum();
        assertThat(sends).as("chat.sends over all rounds; %s", why).isGreaterThanOrEqualTo(MIN_SENDS);
        assertThat(stats).as("kills landed with sends in flight; %s", why)
                .filteredOn(s -> s.inFlightAtKill() > 0).hasSizeGreaterThanOrEqualTo(ROUNDS - 1);
    }

    /** Connects, checks hello-ok and health: the gateway came back clean. */
    private static ProtocolClient connectChecked(ChildGateway child, List<String> scopes, int round, String why)
            throws Exception {
        ProtocolClient c = ProtocolClient.open(child.webSocketUri());
        JsonNode hello = c.sendConnect(TOKEN, scopes.isEmpty() ? null : scopes);
        assertThat(hello.path("ok").asBoolean() && "hello-ok".equals(hello.path("payload").path("type").asText()))
                .as("lifetime %d: connect answers hello-ok, got %s; %s", round, hello, why).isTrue();
        if (scopes.isEmpty()) {
            JsonNode health = c.request("health");
            assertThat(health.path("ok").asBoolean() && health.path("payload").path("ok").asBoolean())
                    .as("lifetime %d: health is ok, got %s; %s", round, health, why).isTrue();
        }
        return c;
    }

    /** Re-sends what the last kill left unanswered (same key, same text), and a few answered ones as probes. */
    private int[] retryAndProbe(ProtocolClient admin, int round, Random random) throws Exception {
        int retried = 0;
        int retriedAcked = 0;
        for (Msg m : ledger.unknownAfter(round - 1)) {
            m.sentIn.add(round);
            retried++;
            JsonNode res = send(admin, m);
            if (started(res)) {
                acked(m, round, res); // the kill came before the message was stored: stored now, once
                retriedAcked++;
            } else if (res.path("ok").asBoolean() && res.path("payload").hasNonNull("messageId")) {
                // Stored before the kill but not acknowledged: the restarted gateway finds the key in the
                // transcript and answers with that message instead of storing a second copy.
                acked(m, round, res);
                retriedAcked++;
            } else {
                problems.add("lifetime " + round + ": the retry of " + m.key + " got " + res);
            }
        }
        List<Msg> previous = ledger.acked().stream().filter(m -> m.ackedIn == round - 1).toList();
        int probes = 0;
        int probesStarted = 0;
        for (; probes < PROBES_PER_RESTART && !previous.isEmpty(); probes++) {
            Msg m = previous.get(random.nextInt(previous.size()));
            m.sentIn.add(round);
            JsonNode res = send(admin, m);
            probesStarted += started(res) ? 1 : 0;
            if (!res.path("ok").asBoolean() || !m.messageId.equals(res.path("payload").path("messageId").asText())) {
                problems.add("lifetime " + round + ": the probe " + m.key + " (message " + m.messageId + ") sent again after a"
                        + " restart got " + res + ", not its stored message");
            }
        }
        return new int[] {retried, retriedAcked, probes, probesStarted};
    }

    private RoundStats sendAndKill(ChildGateway child, int round, int target, int delayMicros, long workerSeed,
                                   int[] retried, String why) throws Exception {
        AtomicInteger acks = new AtomicInteger();
        AtomicInteger sends = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger repeats = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<ProtocolClient> clients = new ArrayList<>();
        // One reader, so the gateway also streams chat events while it is killed; writers get no events.
        ProtocolClient observer = connectChecked(child, List.of("operator.read"), round, why);
        Thread drain = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    observer.nextEvent(Duration.ofMillis(200));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Thread> workers = new ArrayList<>();
        Random seeds = new Random(workerSeed);
        for (int w = 0; w < WORKERS; w++) {
            ProtocolClient c = connectChecked(child, List.of("operator.write"), round, why);
            clients.add(c);
            int worker = w;
            Random rnd = new Random(seeds.nextLong());
            workers.add(Thread.ofPlatform().name("chat-crash-w" + w).start(() -> {
                List<Msg> mine = new ArrayList<>();
                for (int n = 0; ; n++) {
                    boolean repeat = !mine.isEmpty() && rnd.nextInt(12) == 0;
                    Msg m = repeat ? mine.get(rnd.nextInt(mine.size())) : newMessage(round, worker, n, rnd);
                    m.sentIn.add(round);
                    (repeat ? repeats : sends).incrementAndGet(); // attempts: the kill leaves some unanswered
                    inFlight.incrementAndGet();
                    JsonNode res;
                    try {
                        res = send(c, m);
                    } catch (Exception e) {
                        if (!killed.get()) {
                            problems.add("lifetime " + round + ": worker " + worker + " lost its connection before the kill: " + e);
                        }
                        return; // the kill: this send's outcome is unknown
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    if (repeat) {
                        checkRepeat(m, res, round);
                    } else {
                        if (started(res)) {
                            acked(m, round, res);
                            mine.add(m);
                            acks.incrementAndGet();
                        } else {
                            problems.add("lifetime " + round + ": " + m.key + " was refused: " + res);
                        }
                    }
                }
            }));
        }
        long sendStart = System.nanoTime();
        long deadline = sendStart + TimeUnit.SECONDS.toNanos(45);
        while (acks.get() < target) {
            assertThat(child.isAlive()).as("lifetime %d: the gateway died on its own; %s; stderr:%n%s", round, why,
                    child.stderrTail()).isTrue();
            assertThat(System.nanoTime() < deadline).as("lifetime %d: only %d of %d acks in 45 s; problems %s; %s",
                    round, acks.get(), target, problems, why).isTrue();
            assertThat(workers).as("lifetime %d: workers stopped early: %s", round, problems).allMatch(Thread::isAlive);
            LockSupport.parkNanos(20_000);
        }
        LockSupport.parkNanos(delayMicros * 1_000L); // anywhere: parsing, the fsync, the ack, between sends
        int inFlightAtKill = inFlight.get();
        long sendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sendStart);
        killed.set(true);
        child.kill();
        for (Thread t : workers) {
            t.join(500);
            t.interrupt(); // a request the dead socket never answers waits here otherwise
            t.join(10_000);
            assertThat(t.isAlive()).as("worker %s ended", t.getName()).isFalse();
        }
        drain.interrupt();
        clients.forEach(ProtocolClient::close);
        observer.close();
        assertThat(problems).as("lifetime %d; %s", round, why).isEmpty();
        return new RoundStats(round, child.startMillis(), retried[0], retried[1], retried[2], retried[3], target, delayMicros,
                sendMs, sends.get(), acks.get(), repeats.get(), inFlightAtKill, 0);
    }

    private Msg newMessage(int round, int worker, int n, Random rnd) {
        String raw = SESSIONS.get(rnd.nextInt(SESSIONS.size()));
        // Now and then a long one (several WebSocket fragments, a longer write for the kill to land in).
        int padding = rnd.nextInt(30) == 0 ? 8_000 + rnd.nextInt(56_000) : 0;
        return ledger.create(round, worker, n, raw, SessionKeys.resolve(raw, "default").sessionKey(), padding);
    }

    private static JsonNode send(ProtocolClient c, Msg m) throws Exception {
        return c.request("chat.send", ProtocolClient.params().put("sessionKey", m.sessionKey).put("message", m.text)
                .put("idempotencyKey", m.key));
    }

    private static boolean started(JsonNode res) {
        return res.path("ok").asBoolean() && "started".equals(res.path("payload").path("status").asText());
    }

    private void acked(Msg m, int round, JsonNode res) {
        m.messageId = res.path("payload").path("messageId").asText(null);
        m.ackedIn = round;
        if (!m.canonicalKey.equals(res.path("payload").path("sessionKey").asText())) {
            problems.add(m.key + ": the ack names session " + res.path("payload").path("sessionKey") + ", not " + m.canonicalKey);
        }
    }

    /** The same key again in the same lifetime: the first run's status and message, never a second copy. */
    private void checkRepeat(Msg m, JsonNode res, int round) {
        JsonNode p = res.path("payload");
        if (!res.path("ok").asBoolean() || "started".equals(p.path("status").asText())
                || !p.path("messageId").asText("").equals(m.messageId)) {
            problems.add("lifetime " + round + ": repeating " + m.key + " (message " + m.messageId + ") got " + res);
        }
    }

    /** After a restart: every acknowledged message is in its transcript, on disk and through the protocol. */
    private void verify(Path state, ProtocolClient admin, int round, String why) throws Exception {
        SessionFiles.Scan scan = SessionFiles.scan(state, false); // the restart repaired every torn tail
        assertThat(scan.problems()).as("restart %d: the files on disk; %s", round, why).isEmpty();
        List<String> bad = new ArrayList<>();
        JsonNode list = admin.request("sessions.list", ProtocolClient.params().put("limit", 10_000));
        Set<String> listed = new TreeSet<>();
        list.path("payload").path("sessions").forEach(s -> {
            listed.add(s.path("key").asText());
            if (s.path("missingTranscript").asBoolean()) {
                bad.add("sessions.list marks " + s.path("key").asText() + " missingTranscript");
            }
        });
        Set<String> used = new TreeSet<>();
        ledger.acked().forEach(m -> used.add(m.canonicalKey));
        if (!listed.containsAll(used)) {
            bad.add("sessions.list " + listed + " lacks some of " + used);
        }
        Map<String, List<SessionFiles.UserLine>> byKey = new HashMap<>();
        int unansweredHere = 0;
        for (SessionFiles.Transcript t : scan.sessions().values()) {
            if (t.entries() > 1000) {
                bad.add(t.sessionKey() + " has " + t.entries() + " entries: more than one chat.history page can show");
            }
            JsonNode hist = admin.request("chat.history", ProtocolClient.params().put("sessionKey", t.sessionKey()).put("limit", 1000));
            List<String> viaProtocol = new ArrayList<>();
            hist.path("payload").path("messages").forEach(h -> {
                if ("user".equals(h.path("role").asText())) {
                    viaProtocol.add(h.path("id").asText() + " " + h.path("idempotencyKey").asText() + " "
                            + h.path("content").path(0).path("text").asText());
                }
            });
            List<String> onDisk = t.users().stream().map(u -> u.id() + " " + u.idempotencyKey() + " " + u.text()).toList();
            if (!hist.path("ok").asBoolean() || !viaProtocol.equals(onDisk)) {
                bad.add("chat.history of " + t.sessionKey() + " shows " + viaProtocol.size() + " user messages, the file "
                        + onDisk.size() + (hist.path("ok").asBoolean() ? "" : ": " + hist));
            }
            for (SessionFiles.UserLine u : t.users()) {
                byKey.computeIfAbsent(u.idempotencyKey(), k -> new ArrayList<>()).add(u);
                Msg m = ledger.get(u.idempotencyKey());
                if (m == null || !m.text.equals(u.text()) || !m.canonicalKey.equals(t.sessionKey())) {
                    bad.add(t.sessionKey() + " line " + u.lineNo() + " holds a message no client sent there: key "
                            + u.idempotencyKey() + ", id " + u.id() + ", " + (u.text() == null ? "no" : u.text().length()) + " chars");
                }
            }
            checkOrder(t, bad);
            unansweredHere += (int) t.users().stream().filter(u -> !t.replied().contains(u.runId())).count();
        }
        unanswered = unansweredHere;
        for (Msg m : ledger.all()) {
            List<SessionFiles.UserLine> copies = byKey.getOrDefault(m.key, List.of());
            if (m.acked() && copies.stream().noneMatch(u -> u.id().equals(m.messageId))) {
                bad.add("acknowledged " + m.key + " (message " + m.messageId + ", lifetime " + m.ackedIn + ") is missing from "
                        + m.canonicalKey + (copies.isEmpty() ? "" : "; copies with other ids: " + copies.stream().map(SessionFiles.UserLine::id).toList()));
            }
            if (copies.size() > 1) {
                // The idempotency key is kept in the transcript, so neither a repeat in one lifetime nor a retry
                // after a restart may store a second copy.
                bad.add(m.key + " is stored " + copies.size() + " times (sent in gateway lifetimes " + m.sentIn + ")");
                (m.ackedIn == m.originRound ? probeDuplicates : retryDuplicates).put(m.key, copies.size());
            }
        }
        assertThat(bad).as("restart %d (%d acknowledged so far); %s", round, ledger.acked().size(), why).isEmpty();
    }

    /** One client's messages to one session were sent one after another, so they must be stored in that order. */
    private static void checkOrder(SessionFiles.Transcript t, List<String> bad) {
        Map<String, Integer> lastN = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (SessionFiles.UserLine u : t.users()) {
            String[] parts = u.idempotencyKey() == null ? new String[0] : u.idempotencyKey().split("-");
            if (parts.length != 4 || !seen.add(u.idempotencyKey())) {
                continue; // foreign (reported elsewhere) or a later copy
            }
            String client = parts[1] + "-" + parts[2];
            int n = Integer.parseInt(parts[3].substring(1));
            Integer before = lastN.put(client, n);
            if (before != null && before > n) {
                bad.add(t.sessionKey() + ": " + u.idempotencyKey() + " is stored after n" + before + " of the same client");
            }
        }
    }

    private void report(List<RoundStats> stats, long ms, String why) {
        System.out.printf("ChatCrashTest: %s%n", why);
        System.out.println("round startMs retried(acked) probes->started target delayUs sendMs sends acks repeats inFlightAtKill tornTails");
        for (RoundStats s : stats) {
            System.out.printf("%5d %7d %7d(%d) %d->%d %6d %7d %6d %5d %5d %7d %13d %9d%n", s.round(), s.startMs(), s.retried(),
                    s.retriedAcked(), s.probes(), s.probesStarted(), s.target(), s.delayMicros(), s.sendMs(), s.sends(),
                    s.acks(), s.repeats(), s.inFlightAtKill(), s.tornTails());
        }
        System.out.printf("ChatCrashTest: %d acknowledged, %d distinct messages, %d ms; %d acknowledged messages have no reply"
                        + " (their run died with the gateway)%n", ledger.acked().size(), ledger.all().size(), ms, unanswered);
        System.out.printf("ChatCrashTest: cross-restart duplicates (key=copies): %d of retried unanswered sends %s; %d of"
                + " re-sent answered probes %s%n", retryDuplicates.size(), retryDuplicates, probeDuplicates.size(), probeDuplicates);
    }
}

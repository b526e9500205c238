package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Principle 6, tested the hard way: a child JVM ({@link CrashChild}) appends and acknowledges messages; the
 * parent SIGKILLs it at a random point; the store reopened in the parent must hold every acknowledged message,
 * in order, and every transcript must parse to its last byte. The rounds share one folder, so each starts from
 * what the previous kill left. Odd rounds aim the kill at a write: the child pads one message to 8 MiB and
 * the parent kills it as soon as a transcript starts to grow, which tears that line (the kernel stops a write
 * at a fatal signal).
 *
 * <p>{@code -Dcrash.seed=N} replays a run; {@code -Dcrash.rounds=N} soaks.
 */
class CrashSafetyTest {

    private static final int ROUNDS = Integer.getInteger("crash.rounds", 5);
    private static final int APPENDS_PER_ROUND = 200;
    private static final long CHILD_DEADLINE_MS = 60_000;
    private static final String EOF = "\u0000EOF";

    @TempDir
    Path tmp;

    /** One child run: the messages it acknowledged, and whether it ran out of messages before the kill. */
    private record Run(List<Integer> acked, boolean finished) {
    }

    /** When to kill: after {@code afterAcks} ACKs plus a delay, or (-1) while message {@code hugeAt} is written. */
    private record KillPoint(int afterAcks, int hugeAt, int delayMicros) {
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyAcknowledgedAppendSurvivesSigkillAndEveryTranscriptParses() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        String why = "seed " + seed + " (replay with -Dcrash.seed=" + seed + ")";
        Path state = tmp.resolve("state");
        // For each session key, "round/n" of every acknowledged message, in acknowledgement order.
        Map<String, List<String>> acked = new HashMap<>();
        int killedMidRun = 0;
        int tornTails = 0;

        for (int round = 0; round < ROUNDS; round++) {
            KillPoint kill = round % 2 == 0
                    ? new KillPoint(random.nextInt(APPENDS_PER_ROUND), -1, random.nextInt(3_000))
                    // From message 3 on, every session's transcript exists in this round: the growth to watch is there.
                    : new KillPoint(-1, CrashChild.SESSIONS + random.nextInt(APPENDS_PER_ROUND / 2), 0);
            Run run = runAndKill(state, round, kill, random.nextLong(), why);
            killedMidRun += run.finished() ? 0 : 1;
            for (int n : run.acked()) {
                acked.computeIfAbsent(CrashChild.sessionKey(n), k -> new ArrayList<>()).add(round + "/" + n);
            }
            tornTails += tornTails(state);
            verify(state, round, acked, why);
        }
        System.out.printf("crash test: %d rounds, %d killed mid-run, %d torn tail(s) repaired, %d acknowledged; %s%n",
                ROUNDS, killedMidRun, tornTails, acked.values().stream().mapToInt(List::size).sum(), why);
        assertThat(killedMidRun).as("the kill came before the child ran out of messages; " + why).isGreaterThanOrEqualTo(ROUNDS - 1);
    }

    private Run runAndKill(Path state, int round, KillPoint kill, long childSeed, String why) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
        Path stderr = tmp.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                state.toString(), Integer.toString(round), Integer.toString(APPENDS_PER_ROUND), Long.toString(childSeed),
                Integer.toString(kill.hugeAt()))
                .redirectError(stderr.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon().name("crash-child-stdout")
                .start(() -> readLines(child.getInputStream(), lines));
        List<Integer> acks = new ArrayList<>();
        boolean finished = false;
        long deadline = System.currentTimeMillis() + CHILD_DEADLINE_MS;
        try {
            boolean fire = false;
            while (!fire && !finished) {
                String line = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (line == null || line.equals(EOF)) {
                    fail("round " + round + ": the child " + (line == null ? "was silent for " + CHILD_DEADLINE_MS + " ms"
                            : "died on its own") + "; " + why + "; its stderr: " + Files.readString(stderr));
                }
                finished = take(line, acks, round, stderr);
                fire = kill.afterAcks() >= 0 ? acks.size() >= kill.afterAcks() : line.equals("APPENDING " + kill.hugeAt() + " " + CrashChild.HUGE);
            }
            if (kill.afterAcks() >= 0) {
                // Land the kill anywhere: in the JSON encoding, the write, the fsync, or between appends.
                LockSupport.parkNanos(kill.delayMicros() * 1_000L);
            } else if (!finished) {
                awaitGrowth(state, deadline);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child exits after SIGKILL").isTrue();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(reader.isAlive()).as("the child's output is drained").isFalse();
        // ACKs printed after the parent stopped reading were acknowledgements too.
        for (String line; (line = lines.poll()) != null; ) {
            finished |= take(line, acks, round, stderr);
        }
        assertThat(acks).as("ACKs come in order").isSorted();
        return new Run(acks, finished);
    }

    /** Returns as soon as a transcript is longer than when called: the huge line is being written. */
    private static void awaitGrowth(Path state, long deadline) throws IOException {
        Path dir = state.resolve("agents").resolve(CrashChild.AGENT).resolve("sessions");
        Map<Path, Long> sizes = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                sizes.put(f, Files.size(f));
            }
        }
        while (System.currentTimeMillis() < deadline) {
            for (Map.Entry<Path, Long> e : sizes.entrySet()) {
                if (Files.size(e.getKey()) != e.getValue()) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        fail("no transcript grew within " + CHILD_DEADLINE_MS + " ms of the huge append's start");
    }

    /** Records an ACK; true when the child said it is done. */
    private static boolean take(String line, List<Integer> acks, int round, Path stderr) throws IOException {
        if (line.startsWith("ACK ")) {
            acks.add(Integer.parseInt(line.substring(4)));
        } else if (!line.equals("OPEN") && !line.equals(EOF) && !line.equals("DONE") && !line.startsWith("APPENDING ")) {
            fail("round " + round + ": unexpected child output '" + line + "'; its stderr: " + Files.readString(stderr));
        }
        return line.equals("DONE");
    }

    /** Only newline-terminated lines count: a line cut by the kill was never a complete acknowledgement. */
    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (in) {
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    lines.add(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            // The pipe breaks when the child dies.
        }
        lines.add(EOF);
    }

    /** Transcripts the kill left with an incomplete last line (before the store reopens and repairs them). */
    private static int tornTails(Path state) throws IOException {
        Path dir = state.resolve("agents").resolve(CrashChild.AGENT).resolve("sessions");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int torn = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                torn += bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? 1 : 0;
            }
        }
        return torn;
    }

    private static void verify(Path state, int round, Map<String, List<String>> acked, String why) throws IOException {
        try (FileSessionStore store = FileSessionStore.open(state)) {
            List<SessionEntry> sessions = store.list(CrashChild.AGENT);
            assertThat(sessions).as("round %d: no session vanished; %s", round, why)
                    .extracting(SessionEntry::sessionKey).containsAll(acked.keySet());
            assertThat(sessions).as("round %d: %s", round, why).noneMatch(SessionEntry::missingTranscript);
            for (SessionEntry session : sessions) {
                Path file = store.sessionsFolder(CrashChild.AGENT).resolve(session.sessionId() + ".jsonl");
                List<JsonNode> lines = TranscriptLines.parseAll(file); // fails on any torn or garbage line
                assertThat(lines.get(0).path("type").asText()).isEqualTo("session");
                List<String> present = new ArrayList<>();
                long previous = -1;
                for (JsonNode line : lines.subList(1, lines.size())) {
                    JsonNode c = line.path("content");
                    long order = c.path("round").asLong() * 1_000_000 + c.path("n").asLong();
                    assertThat(order).as("round %d, %s: entries in append order; %s", round, session.sessionKey(), why)
                            .isGreaterThan(previous);
                    previous = order;
                    present.add(c.path("round").asLong() + "/" + c.path("n").asLong());
                }
                assertThat(present).as("round %d, %s: every acknowledged message is there, in order; %s",
                        round, session.sessionKey(), why).containsSubsequence(acked.getOrDefault(session.sessionKey(), List.of()));
                assertThat(store.read(CrashChild.AGENT, session.sessionKey(), SessionStore.MAX_READ_LIMIT))
                        .as("the store reads what is on disk").hasSize(Math.min(lines.size() - 1, SessionStore.MAX_READ_LIMIT));
            }
        }
    }
}

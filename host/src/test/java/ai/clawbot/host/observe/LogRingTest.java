package ai.clawbot.host.observe;

import static ai.clawbot.host.observe.SecretRedactorTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogRingTest {

    private final SecretRedactor redactor = SecretRedactor.create();

    LogRingTest() {
        redactor.add(TOKEN);
    }

    private static LogRecord rec(Level level, String msg) {
        LogRecord r = new LogRecord(level, msg);
        r.setLoggerName("ai.clawbot.test");
        return r;
    }

    private static void fill(LogRing ring, int n) {
        for (int i = 0; i < n; i++) {
            ring.publish(rec(Level.INFO, "line " + i));
        }
    }

    private static List<String> messages(LogTail t) {
        return t.lines().stream().map(LogLine::message).toList();
    }

    @Test
    void secretsAreRedactedBeforeStoringInMessageParametersAndTheThrownChain() {
        LogRing ring = LogRing.create(redactor);
        List<LogLine> live = new CopyOnWriteArrayList<>();
        ring.subscribe(live::add);
        ring.publish(rec(Level.INFO, "token is " + TOKEN));
        LogRecord withParam = rec(Level.INFO, "url http://127.0.0.1:18789/#token={0}");
        withParam.setParameters(new Object[] {TOKEN});
        ring.publish(withParam);
        LogRecord thrown = rec(Level.WARNING, "auth failed");
        thrown.setThrown(new IllegalStateException("presented " + TOKEN, new RuntimeException("inner " + TOKEN)));
        ring.publish(thrown);

        List<LogLine> stored = ring.tail(null, 10, LogRing.MAX_TAIL_BYTES, null).lines();
        assertThat(stored).extracting(LogLine::message).containsExactly(
                "token is ***", "url http://127.0.0.1:18789/#token=***", stored.get(2).message());
        assertThat(stored.get(2).message()).startsWith("auth failed\n  java.lang.IllegalStateException: presented ***")
                .contains("Caused by: java.lang.RuntimeException: inner ***").contains("\n    at ");
        assertThat(stored.get(2).level()).isEqualTo("WARNING");
        assertThat(stored.get(2).logger()).isEqualTo("ai.clawbot.test");
        for (LogLine l : stored) {
            assertThat(l.message()).doesNotContain(TOKEN.substring(0, 8));
        }
        assertThat(live).isEqualTo(stored);
    }

    @Test
    void aLongLineIsCutTo8KiBAfterRedactionSoNoHeadOfASecretSurvivesTheCut() {
        LogRing ring = LogRing.create(redactor);
        // Naive cut-then-redact would keep the token's first 10 chars.
        ring.publish(rec(Level.INFO, "x".repeat(LogRing.MAX_LINE_BYTES - LogRing.CUT_MARK.length() - 10) + TOKEN + "y".repeat(100)));
        // A redaction earlier in the line pulls later text into view: the token straddling the 8 Ki-char
        // redaction window must still be masked.
        ring.publish(rec(Level.INFO, TOKEN + "x".repeat(LogRing.MAX_LINE_BYTES - TOKEN.length() - 5) + TOKEN + "y".repeat(100)));
        ring.publish(rec(Level.INFO, "é".repeat(10_000)));
        for (LogLine l : ring.tail(null, 10, LogRing.MAX_TAIL_BYTES, null).lines()) {
            assertThat(Utf8.length(l.message())).isLessThanOrEqualTo(LogRing.MAX_LINE_BYTES);
            assertThat(l.message()).endsWith(LogRing.CUT_MARK).doesNotContain(TOKEN.substring(0, 5));
        }
    }

    @Test
    void theRingIsBoundedByCountAndByBytesKeepingTheNewest() {
        LogRing byCount = LogRing.create(redactor, 10, LogRing.DEFAULT_MAX_BYTES);
        fill(byCount, 25);
        assertThat(byCount.size()).isEqualTo(10);
        assertThat(messages(byCount.tail(null, 100, 1000, null))).first().isEqualTo("line 15");

        LogRing byBytes = LogRing.create(redactor, 1000, 20_000);
        for (int i = 0; i < 100; i++) {
            byBytes.publish(rec(Level.INFO, i + ":" + "z".repeat(1000)));
        }
        assertThat(byBytes.size()).isBetween(15, 19);
        assertThat(messages(byBytes.tail(null, 1, LogRing.MAX_TAIL_BYTES, null)).get(0)).startsWith("99:");

        LogRing tiny = LogRing.create(redactor, 10, 1); // the newest line is kept whatever its size
        fill(tiny, 3);
        assertThat(messages(tiny.tail(null, 10, 1000, null))).containsExactly("line 2");
    }

    @Test
    void withoutACursorTheNewestLinesComeOldestFirstAndACursorContinuesAfterThem() {
        LogRing ring = LogRing.create(redactor);
        fill(ring, 10);
        LogTail t = ring.tail(null, 3, 1000, null);
        assertThat(messages(t)).containsExactly("line 7", "line 8", "line 9");
        assertThat(t.truncated()).isTrue();
        assertThat(t.reset()).isFalse();
        assertThat(t.cursor()).isEqualTo(ring.lastCursor()).isEqualTo(t.lines().get(2).cursor());

        assertThat(ring.tail(t.cursor(), 10, 1000, null).lines()).isEmpty();
        fill(ring, 2);
        LogTail next = ring.tail(t.cursor(), 10, 1000, null);
        assertThat(messages(next)).containsExactly("line 0", "line 1");
        assertThat(next.truncated()).isFalse();
        assertThat(next.reset()).isFalse();
        assertThat(ring.tail(null, 100, 1000, null).truncated()).isFalse();
    }

    @Test
    void pagingByLimitOrBytesReturnsEveryLineOnceInOrder() {
        LogRing ring = LogRing.create(redactor);
        fill(ring, 50);
        long start = ring.tail(null, 50, LogRing.MAX_TAIL_BYTES, null).lines().get(0).cursor() - 1;
        for (int[] page : new int[][] {{7, LogRing.MAX_TAIL_BYTES}, {1000, 40}}) {
            List<String> all = new ArrayList<>();
            Long cursor = start;
            for (int guard = 0; guard < 100; guard++) {
                LogTail t = ring.tail(cursor, page[0], page[1], null);
                all.addAll(messages(t));
                assertThat(t.lines().size()).isLessThanOrEqualTo(page[0]);
                assertThat(t.lines().stream().mapToInt(l -> Utf8.length(l.message())).sum()).isLessThanOrEqualTo(page[1]);
                cursor = t.cursor();
                if (!t.truncated()) {
                    break;
                }
                assertThat(t.cursor()).isEqualTo(t.lines().get(t.lines().size() - 1).cursor());
            }
            assertThat(all).hasSize(50).first().isEqualTo("line 0");
            assertThat(all).last().isEqualTo("line 49");
        }
    }

    @Test
    void aLineLargerThanTheBudgetIsReturnedCutSoTheClientStillMovesOn() {
        LogRing ring = LogRing.create(redactor);
        ring.publish(rec(Level.INFO, "0123456789abcdef"));
        ring.publish(rec(Level.INFO, "next"));
        long before = ring.lastCursor() - 2;
        LogTail t = ring.tail(before, 10, 4, null);
        assertThat(messages(t)).containsExactly("0123");
        assertThat(t.truncated()).isTrue();
        assertThat(messages(ring.tail(t.cursor(), 10, 4, null))).containsExactly("next");
        assertThat(messages(ring.tail(null, 10, 3, null))).containsExactly("nex");
    }

    @Test
    void aCursorOlderThanTheRingOrFromTheFutureResetsToTheOldestLine() {
        LogRing ring = LogRing.create(redactor, 5, LogRing.DEFAULT_MAX_BYTES);
        fill(ring, 3);
        long first = ring.tail(null, 10, 1000, null).lines().get(0).cursor();
        fill(ring, 5); // "line 0".."line 2" dropped, then "line 0".."line 4" again
        LogTail old = ring.tail(first, 10, 1000, null);
        assertThat(old.reset()).isTrue();
        assertThat(old.lines()).hasSize(5);
        assertThat(old.lines().get(0).cursor()).isEqualTo(first + 3);

        LogTail future = ring.tail(ring.lastCursor() + 1, 10, 1000, null);
        assertThat(future.reset()).isTrue();
        assertThat(future.lines()).hasSize(5);
        assertThat(ring.tail(0L, 10, 1000, null).reset()).isTrue(); // cursors start from the clock, not 0
        // Continuous with the ring: the cursor just before the oldest line kept.
        assertThat(ring.tail(first + 2, 10, 1000, null).reset()).isFalse();
    }

    @Test
    void theFilterSelectsLinesAndLimitCountsOnlyWhatPasses() {
        LogRing ring = LogRing.create(redactor);
        for (int i = 0; i < 20; i++) {
            ring.publish(rec(i % 5 == 0 ? Level.WARNING : Level.INFO, "m" + i));
        }
        LogTail t = ring.tail(null, 3, 1000, l -> l.level().equals("WARNING"));
        assertThat(messages(t)).containsExactly("m5", "m10", "m15");
        assertThat(t.truncated()).isTrue();
        assertThat(ring.tail(null, 4, 1000, l -> l.level().equals("WARNING")).truncated()).isFalse();
    }

    @Test
    void badArgumentsAreRefusedAndLeaveTheRingAsItWas() {
        LogRing ring = LogRing.create(redactor);
        fill(ring, 3);
        assertThatThrownBy(() -> ring.tail(null, 0, 1000, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> ring.tail(null, 1001, 1000, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.tail(null, 10, 0, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> ring.tail(null, 10, LogRing.MAX_TAIL_BYTES + 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.tail(-1L, 10, 1000, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> LogRing.create(redactor, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogRing.create(redactor, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.size()).isEqualTo(3);
        assertThat(ring.tail(null, 1000, LogRing.MAX_TAIL_BYTES, null).lines()).hasSize(3);
    }

    @Test
    void aThrowingOrLoggingSubscriberBreaksNeitherLoggingNorOtherSubscribers() {
        LogRing ring = LogRing.create(redactor);
        List<String> errors = new CopyOnWriteArrayList<>();
        ring.setErrorManager(new ErrorManager() {
            @Override
            public synchronized void error(String msg, Exception ex, int code) {
                errors.add(msg);
            }
        });
        Logger logger = Logger.getLogger("ai.clawbot.host.observe.LogRingTest.subscribers");
        logger.setUseParentHandlers(false);
        logger.addHandler(ring);
        try {
            List<String> good = new CopyOnWriteArrayList<>();
            ring.subscribe(l -> {
                throw new IllegalStateException("boom");
            });
            ring.subscribe(l -> {
                throw new AssertionError("worse");
            });
            ring.subscribe(l -> logger.info("echo of " + l.message())); // would recurse forever if delivered
            LogRing.Subscription s = ring.subscribe(l -> good.add(l.message()));

            logger.info("hello");
            assertThat(good).containsExactly("hello");
            assertThat(errors).hasSize(2);
            assertThat(messages(ring.tail(null, 10, 1000, null))).containsExactly("hello", "echo of hello");

            s.close();
            logger.info("after close");
            assertThat(good).containsExactly("hello");
        } finally {
            logger.removeHandler(ring);
        }
    }

    @Test
    void levelAndCloseAreHonoured() {
        LogRing ring = LogRing.create(redactor);
        ring.setLevel(Level.WARNING);
        ring.publish(rec(Level.INFO, "quiet"));
        ring.publish(rec(Level.SEVERE, "loud"));
        assertThat(messages(ring.tail(null, 10, 1000, null))).containsExactly("loud");
        ring.close();
        ring.publish(rec(Level.SEVERE, "after"));
        assertThat(messages(ring.tail(null, 10, 1000, null))).containsExactly("loud");
        assertThatThrownBy(() -> ring.subscribe(l -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void subscribersAreCapped() {
        LogRing ring = LogRing.create(redactor);
        for (int i = 0; i < LogRing.MAX_SUBSCRIBERS; i++) {
            ring.subscribe(l -> { });
        }
        assertThatThrownBy(() -> ring.subscribe(l -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too many");
    }

    @Test
    void concurrentLoggingGetsUniqueContiguousCursors() throws Exception {
        LogRing ring = LogRing.create(redactor);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    ring.publish(rec(Level.INFO, id + "-" + i));
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(ring.size()).isEqualTo(4000);
        List<LogLine> all = new ArrayList<>();
        Long cursor = ring.lastCursor() - 4000;
        LogTail t;
        do {
            t = ring.tail(cursor, 1000, LogRing.MAX_TAIL_BYTES, null);
            all.addAll(t.lines());
            cursor = t.cursor();
        } while (t.truncated());
        assertThat(all).hasSize(4000);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).cursor()).isEqualTo(all.get(i - 1).cursor() + 1);
        }
        assertThat(all.stream().map(LogLine::message).distinct().count()).isEqualTo(4000);
    }
}

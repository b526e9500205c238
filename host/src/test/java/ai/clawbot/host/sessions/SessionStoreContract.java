package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link SessionStore} must do, whatever keeps the data: the file store and the PostgreSQL store both
 * extend this. The crash rule is here too: whatever {@code append} acknowledged is there for a store opened after
 * the first one was abandoned without {@code close} (the file store's kill -9 cases are in {@link CrashSafetyTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SessionStoreContract {

    protected static final String MAIN = "agent:main:main";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A store over this test's (empty at the start of each test) data. May be called again to reopen it. */
    protected abstract SessionStore open(Clock clock);

    protected SessionStore open() {
        return open(Clock.systemUTC());
    }

    private static TranscriptEntry numbered(int n) {
        return TranscriptEntry.message("user", NODES.objectNode().put("n", n));
    }

    private static TranscriptEntry text(String role, String text) {
        return TranscriptEntry.message(role, NODES.arrayNode().add(NODES.objectNode().put("type", "text").put("text", text)));
    }

    @Test
    void resolveCreatesOnceAndAppendsReadBackChained() {
        try (SessionStore store = open()) {
            assertThat(store.get("main", MAIN)).isEmpty();
            SessionEntry session = store.resolve("main", MAIN);
            assertThat(session.sessionId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(session.missingTranscript()).isFalse();
            assertThat(store.resolve("main", MAIN).sessionId()).isEqualTo(session.sessionId());
            assertThat(store.get("main", MAIN)).map(SessionEntry::sessionId).contains(session.sessionId());

            Appended hello = store.append("main", MAIN, text("user", "hello"));
            Appended big = store.append("main", MAIN, text("assistant", "x".repeat(200_000)));
            Appended last = store.append("main", MAIN, text("user", "ünïcødé ✓ 🦀 nul\u0000 end"));
            assertThat(hello.entry().parentId()).isNull();
            assertThat(big.entry().parentId()).isEqualTo(hello.entry().id());
            assertThat(last.entry().parentId()).isEqualTo(big.entry().id());
            assertThat(last.session().sessionId()).isEqualTo(session.sessionId());
            assertThat(store.read("main", MAIN, 10)).containsExactly(hello.entry(), big.entry(), last.entry());
        }
    }

    @Test
    void readIsBoundedToTheNewestEntriesOldestFirst() {
        try (SessionStore store = open()) {
            for (int i = 0; i < 50; i++) {
                store.append("main", MAIN, numbered(i));
            }
            assertThat(store.read("main", MAIN, 10)).extracting(e -> e.payload().path("content").path("n").asInt())
                    .containsExactly(40, 41, 42, 43, 44, 45, 46, 47, 48, 49);
            assertThat(store.read("main", MAIN, SessionStore.MAX_READ_LIMIT)).hasSize(50);
            assertThatThrownBy(() -> store.read("main", MAIN, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("read limit 0");
            assertThatThrownBy(() -> store.read("main", MAIN, SessionStore.MAX_READ_LIMIT + 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.read("main", "agent:main:other", 10)).isEmpty();
            assertThat(store.get("main", "agent:main:other")).as("reading does not create").isEmpty();
        }
    }

    @Test
    void resetStartsAFreshSessionAndDeleteRemovesTheRow() {
        try (SessionStore store = open()) {
            SessionEntry first = store.append("main", MAIN, numbered(1)).session();
            SessionEntry fresh = store.reset("main", MAIN);
            assertThat(fresh.sessionId()).isNotEqualTo(first.sessionId());
            assertThat(store.read("main", MAIN, 10)).isEmpty();
            assertThat(store.append("main", MAIN, numbered(2)).entry().parentId()).as("a new chain").isNull();
            assertThat(store.list("main")).singleElement().extracting(SessionEntry::sessionId).isEqualTo(fresh.sessionId());

            assertThat(store.delete("main", MAIN)).isTrue();
            assertThat(store.get("main", MAIN)).isEmpty();
            assertThat(store.list("main")).isEmpty();
            assertThat(store.delete("main", MAIN)).isFalse();
            assertThat(store.delete("main", "never")).isFalse();
            SessionEntry again = store.resolve("main", MAIN);
            assertThat(again.sessionId()).isNotIn(first.sessionId(), fresh.sessionId());
            assertThat(store.read("main", MAIN, 10)).isEmpty();
        }
    }

    @Test
    void badAgentIdsAndSessionKeysAreRefusedAndCreateNothing() {
        try (SessionStore store = open()) {
            for (String agentId : new String[] {"", "Main", "../etc", "a/b", "-lead", "a b", "a".repeat(65), "ä"}) {
                assertThatThrownBy(() -> store.resolve(agentId, MAIN)).as(agentId)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid agent id");
                assertThatThrownBy(() -> store.list(agentId)).isInstanceOf(IllegalArgumentException.class);
            }
            for (String key : new String[] {"", "k".repeat(201), "a\nb", "nul\u0000", "del\u007f", "lone\uD800"}) {
                assertThatThrownBy(() -> store.resolve("main", key)).as(key)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid session key");
                assertThatThrownBy(() -> store.append("main", key, numbered(1))).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.read("main", key, 1)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(store.list("main")).isEmpty();
            String pathLike = "agent:x:../../../etc/passwd/" + "k".repeat(172);
            assertThat(store.resolve("a".repeat(64), pathLike).sessionKey()).isEqualTo(pathLike);
            assertThat(store.resolve("0", "agent:0:🦀 main")).isNotNull();
        }
    }

    @Test
    void entriesThatCannotBeStoredAreRefusedAndTheSessionStaysUsable() {
        try (SessionStore store = open()) {
            Appended one = store.append("main", MAIN, numbered(1));
            java.math.BigInteger huge = java.math.BigInteger.TEN.pow(1500);
            assertThatThrownBy(() -> store.append("main", MAIN, TranscriptEntry.message("user", NODES.numberNode(huge))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would not read back");
            assertThatThrownBy(() -> store.append("main", MAIN,
                    TranscriptEntry.message("user", NODES.textNode("z".repeat(TranscriptFile.MAX_LINE_BYTES)))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            Appended two = store.append("main", MAIN, numbered(2));
            assertThat(two.entry().parentId()).isEqualTo(one.entry().id());
            assertThat(store.read("main", MAIN, 10)).containsExactly(one.entry(), two.entry());
        }
    }

    @Test
    void listIsPerAgentAndMostRecentlyUpdatedFirst() {
        Instant[] now = {Instant.parse("2025-01-01T00:00:00Z")};
        Clock ticking = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public synchronized Instant instant() {
                now[0] = now[0].plusSeconds(1);
                return now[0];
            }
        };
        try (SessionStore store = open(ticking)) {
            store.resolve("main", "a");
            store.resolve("main", "b");
            store.resolve("main", "c");
            store.append("main", "a", numbered(1));
            store.resolve("work", "a");
            assertThat(store.list("main")).extracting(SessionEntry::sessionKey).containsExactly("a", "c", "b");
            assertThat(store.list("work")).extracting(SessionEntry::sessionKey).containsExactly("a");
            assertThat(store.list("nobody")).isEmpty();
            assertThat(store.get("work", "a").orElseThrow().sessionId())
                    .isNotEqualTo(store.get("main", "a").orElseThrow().sessionId());
        }
        SessionStore closed = open();
        closed.close();
        assertThatThrownBy(() -> closed.list("main")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void concurrentAppendsToOneSessionLoseNothingAndKeepEachThreadInOrder() throws Exception {
        int threads = 6;
        int perThread = 40;
        try (SessionStore store = open(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        store.append("main", MAIN, TranscriptEntry.message("user",
                                NODES.objectNode().put("thread", thread).put("seq", i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
            List<TranscriptEntry> all = store.read("main", MAIN, SessionStore.MAX_READ_LIMIT);
            assertThat(all).hasSize(threads * perThread);
            Map<Integer, Integer> next = new HashMap<>();
            String previous = null;
            for (TranscriptEntry e : all) {
                int thread = e.payload().path("content").path("thread").asInt();
                assertThat(e.payload().path("content").path("seq").asInt()).isEqualTo(next.getOrDefault(thread, 0));
                next.put(thread, next.getOrDefault(thread, 0) + 1);
                assertThat(e.parentId()).as("one writer at a time: each entry's parent is the one before").isEqualTo(previous);
                previous = e.id();
            }
        }
    }

    @Test
    void concurrentFirstResolvesOfOneKeyAgreeOnOneSession() throws Exception {
        int threads = 8;
        try (SessionStore store = open(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    return store.resolve("main", "agent:main:race").sessionId();
                }));
            }
            start.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : ids) {
                distinct.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            assertThat(store.list("main")).hasSize(1);
        }
    }

    @Test
    void whatAppendAcknowledgedIsThereAfterTheStoreIsAbandonedWithoutClose() {
        SessionStore abandoned = open();
        List<TranscriptEntry> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            acknowledged.add(abandoned.append("main", MAIN, numbered(i)).entry());
        }
        String id = abandoned.get("main", MAIN).orElseThrow().sessionId();
        // No close: what a crash leaves. A new store (a restarted or another gateway) sees every acknowledged entry.
        try (SessionStore next = open()) {
            assertThat(next.get("main", MAIN).orElseThrow().sessionId()).isEqualTo(id);
            assertThat(next.read("main", MAIN, 100)).containsExactlyElementsOf(acknowledged);
            assertThat(next.append("main", MAIN, numbered(99)).entry().parentId()).isEqualTo(acknowledged.getLast().id());
        }
    }
}

package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileSessionStoreTest {

    private static final String MAIN = "agent:main:main";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TempDir
    Path state;

    private Path sessions(String agentId) {
        return state.resolve("agents").resolve(agentId).resolve("sessions");
    }

    private static TranscriptEntry text(String role, String text) {
        return TranscriptEntry.message(role, NODES.arrayNode().add(NODES.objectNode().put("type", "text").put("text", text)));
    }

    private static TranscriptEntry numbered(int n) {
        return TranscriptEntry.message("user", NODES.objectNode().put("n", n));
    }

    @Test
    void resolveCreatesOnceAndAppendedEntriesReadBackChainedInOpenClawLayout() throws Exception {
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.get("main", MAIN)).isEmpty();
            SessionEntry session = store.resolve("main", MAIN);
            assertThat(session.sessionId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(session.agentId()).isEqualTo("main");
            assertThat(session.missingTranscript()).isFalse();
            assertThat(store.resolve("main", MAIN)).isEqualTo(session);
            assertThat(store.get("main", MAIN)).contains(session);

            Appended hello = store.append("main", MAIN, text("user", "hello"));
            // Over the reader's 64 KiB block: a line that spans blocks must read back whole.
            Appended big = store.append("main", MAIN, text("assistant", "x".repeat(200_000)));
            Appended last = store.append("main", MAIN, text("user", "ünïcødé ✓ 🦀"));

            assertThat(hello.entry().parentId()).isNull();
            assertThat(big.entry().parentId()).isEqualTo(hello.entry().id());
            assertThat(last.entry().parentId()).isEqualTo(big.entry().id());
            assertThat(last.session().sessionId()).isEqualTo(session.sessionId());
            assertThat(store.read("main", MAIN, 10)).containsExactly(hello.entry(), big.entry(), last.entry());
            assertThat(store.read("main", MAIN, 10).get(2).role()).isEqualTo("user");

            Path dir = sessions("main");
            JsonNode index = JSON.readTree(dir.resolve("sessions.json").toFile());
            assertThat(index.path(MAIN).path("sessionId").asText()).isEqualTo(session.sessionId());
            assertThat(index.path(MAIN).path("updatedAt").isIntegralNumber()).isTrue();

            Path transcript = dir.resolve(session.sessionId() + ".jsonl");
            List<JsonNode> lines = TranscriptLines.parseAll(transcript);
            assertThat(lines).hasSize(4);
            JsonNode header = lines.get(0);
            assertThat(header.path("type").asText()).isEqualTo("session");
            assertThat(header.path("version").asInt()).isEqualTo(1);
            assertThat(header.path("id").asText()).isEqualTo(session.sessionId());
            assertThat(header.path("agentId").asText()).isEqualTo("main");
            assertThat(header.path("sessionKey").asText()).isEqualTo(MAIN);
            assertThat(Instant.parse(header.path("timestamp").asText())).isNotNull();
            JsonNode first = lines.get(1);
            assertThat(first.path("type").asText()).isEqualTo("message");
            assertThat(first.path("id").asText()).isEqualTo(hello.entry().id());
            assertThat(first.has("parentId")).isTrue();
            assertThat(first.path("role").asText()).isEqualTo("user");
            assertThat(first.path("content").get(0).path("text").asText()).isEqualTo("hello");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(transcript))).isEqualTo("rw-------");
        }
    }

    @Test
    void manyAppendsSurviveReopeningAndTheLastUpdateTimeIsKept() throws Exception {
        List<TranscriptEntry> written = new ArrayList<>();
        Instant lastUpdate;
        try (FileSessionStore store = FileSessionStore.open(state)) {
            for (int i = 0; i < 500; i++) {
                written.add(store.append("main", MAIN, numbered(i)).entry());
            }
            lastUpdate = store.get("main", MAIN).orElseThrow().updatedAt();
        }
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.read("main", MAIN, 1000)).containsExactlyElementsOf(written);
            assertThat(store.list("main")).singleElement().satisfies(s -> {
                assertThat(s.sessionKey()).isEqualTo(MAIN);
                assertThat(s.updatedAt()).isAfterOrEqualTo(lastUpdate.minusMillis(1));
            });
            // The chain continues from the last entry written before the reopen.
            assertThat(store.append("main", MAIN, numbered(500)).entry().parentId()).isEqualTo(written.get(499).id());
        }
    }

    @Test
    void concurrentAppendsToOneSessionKeepEveryLineWholeAndEachThreadInOrder() throws Exception {
        int threads = 8;
        int perThread = 100;
        try (FileSessionStore store = FileSessionStore.open(state);
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // Varying sizes, some over a pipe/page size, so interleaved writes would show.
                        String pad = "p".repeat((thread * 997 + i * 131) % 9000);
                        store.append("main", MAIN, TranscriptEntry.message("user",
                                NODES.objectNode().put("thread", thread).put("seq", i).put("pad", pad)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }

            String id = store.get("main", MAIN).orElseThrow().sessionId();
            List<JsonNode> lines = TranscriptLines.parseAll(sessions("main").resolve(id + ".jsonl"));
            assertThat(lines).hasSize(1 + threads * perThread);
            Map<Integer, Integer> nextSeq = new HashMap<>();
            String previousId = null;
            for (JsonNode line : lines.subList(1, lines.size())) {
                int thread = line.path("content").path("thread").asInt();
                int seq = line.path("content").path("seq").asInt();
                assertThat(seq).as("thread %d order", thread).isEqualTo(nextSeq.getOrDefault(thread, 0));
                nextSeq.put(thread, seq + 1);
                // One writer at a time: each entry's parent is the line before it.
                assertThat(line.path("parentId").isNull() ? null : line.path("parentId").asText()).isEqualTo(previousId);
                previousId = line.path("id").asText();
            }
            assertThat(nextSeq).hasSize(threads).allSatisfy((t, next) -> assertThat(next).isEqualTo(perThread));
            assertThat(store.read("main", MAIN, 1000)).hasSize(threads * perThread);
        }
    }

    @Test
    void readIsBoundedToTheNewestEntriesOldestFirst() throws Exception {
        try (FileSessionStore store = FileSessionStore.open(state)) {
            for (int i = 0; i < 50; i++) {
                store.append("main", MAIN, numbered(i));
            }
            assertThat(store.read("main", MAIN, 10)).extracting(e -> e.payload().path("content").path("n").asInt())
                    .containsExactly(40, 41, 42, 43, 44, 45, 46, 47, 48, 49);
            assertThat(store.read("main", MAIN, 1)).singleElement()
                    .satisfies(e -> assertThat(e.payload().path("content").path("n").asInt()).isEqualTo(49));
            assertThat(store.read("main", MAIN, SessionStore.MAX_READ_LIMIT)).hasSize(50);
            assertThatThrownBy(() -> store.read("main", MAIN, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("read limit 0");
            assertThatThrownBy(() -> store.read("main", MAIN, SessionStore.MAX_READ_LIMIT + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.." + SessionStore.MAX_READ_LIMIT);

            assertThat(store.read("main", "agent:main:other", 10)).isEmpty();
            assertThat(store.get("main", "agent:main:other")).as("reading does not create").isEmpty();
        }
    }

    @Test
    void resetArchivesTheTranscriptAndStartsAFreshSession() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05.678Z"), ZoneOffset.UTC);
        SessionEntry fresh;
        try (FileSessionStore store = FileSessionStore.open(state, clock)) {
            SessionEntry old = store.resolve("main", MAIN);
            store.append("main", MAIN, text("user", "before"));
            store.append("main", MAIN, text("assistant", "reply"));

            fresh = store.reset("main", MAIN);

            assertThat(fresh.sessionId()).isNotEqualTo(old.sessionId());
            assertThat(fresh.sessionKey()).isEqualTo(MAIN);
            assertThat(store.get("main", MAIN)).contains(fresh);
            assertThat(store.read("main", MAIN, 10)).isEmpty();
            Path dir = sessions("main");
            assertThat(dir.resolve(old.sessionId() + ".jsonl")).doesNotExist();
            Path archived = dir.resolve(old.sessionId() + ".jsonl.reset.2025-01-02T03-04-05.678Z");
            assertThat(TranscriptLines.parseAll(archived)).hasSize(3)
                    .extracting(l -> l.path("content").path(0).path("text").asText()).containsExactly("", "before", "reply");
            assertThat(TranscriptLines.parseAll(dir.resolve(fresh.sessionId() + ".jsonl"))).hasSize(1);

            Appended first = store.append("main", MAIN, text("user", "after"));
            assertThat(first.entry().parentId()).as("a new session starts a new chain").isNull();
            assertThat(store.list("main")).containsExactly(first.session());
        }
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.list("main")).singleElement().satisfies(s -> assertThat(s.sessionId()).isEqualTo(fresh.sessionId()));
            assertThat(store.read("main", MAIN, 10)).extracting(e -> e.payload().path("content").path(0).path("text").asText())
                    .containsExactly("after");
        }
    }

    @Test
    void deleteArchivesTheTranscriptAndRemovesTheRow() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-06-07T08:09:10Z"), ZoneOffset.UTC);
        try (FileSessionStore store = FileSessionStore.open(state, clock)) {
            SessionEntry gone = store.resolve("main", "agent:main:direct:alice");
            store.append("main", "agent:main:direct:alice", text("user", "hi"));
            SessionEntry kept = store.resolve("main", MAIN);

            assertThat(store.delete("main", "agent:main:direct:alice")).isTrue();
            assertThat(store.delete("main", "agent:main:direct:alice")).isFalse();
            assertThat(store.delete("main", "agent:main:never")).isFalse();

            assertThat(store.get("main", "agent:main:direct:alice")).isEmpty();
            assertThat(store.list("main")).containsExactly(kept);
            Path dir = sessions("main");
            assertThat(dir.resolve(gone.sessionId() + ".jsonl")).doesNotExist();
            assertThat(TranscriptLines.parseAll(dir.resolve(gone.sessionId() + ".jsonl.deleted.2025-06-07T08-09-10Z"))).hasSize(2);
            assertThat(JSON.readTree(dir.resolve("sessions.json").toFile()).has("agent:main:direct:alice")).isFalse();

            SessionEntry again = store.resolve("main", "agent:main:direct:alice");
            assertThat(again.sessionId()).isNotEqualTo(gone.sessionId());
        }
        try (FileSessionStore store = FileSessionStore.open(state)) {
            // The archive is not a live transcript: reopening does not bring the deleted session back.
            assertThat(store.list("main")).extracting(SessionEntry::sessionKey)
                    .containsExactlyInAnyOrder(MAIN, "agent:main:direct:alice");
            assertThat(store.read("main", "agent:main:direct:alice", 10)).isEmpty();
        }
    }

    @Test
    void badAgentIdsAndSessionKeysAreRefusedBeforeTouchingTheDisk() throws Exception {
        try (FileSessionStore store = FileSessionStore.open(state)) {
            for (String agentId : new String[] {"", "Main", "../etc", "a/b", "..", "-lead", "_lead", "a b", "a".repeat(65), "ä"}) {
                assertThatThrownBy(() -> store.resolve(agentId, MAIN)).as(agentId)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid agent id");
                assertThatThrownBy(() -> store.list(agentId)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> store.resolve(null, MAIN)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid agent id");
            for (String key : new String[] {"", "k".repeat(201), "a\nb", "tab\there", "nul\u0000", "del\u007f", "c1\u0085", "lone\uD800"}) {
                assertThatThrownBy(() -> store.resolve("main", key)).as(key)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid session key");
                assertThatThrownBy(() -> store.append("main", key, numbered(1))).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> store.read("main", key, 1)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> store.resolve("main", "k".repeat(201))).hasMessageContaining("201 characters");
            assertThat(state.resolve("agents")).doesNotExist();

            // The edges are accepted; a key that looks like a path is only data, never a file name.
            String longest = "a".repeat(64);
            String pathLike = "agent:x:../../../etc/passwd/" + "k".repeat(172);
            assertThat(pathLike).hasSize(200);
            SessionEntry s = store.resolve(longest, pathLike);
            assertThat(store.resolve("0", "agent:0:🦀 main")).isNotNull();
            try (Stream<Path> files = Files.walk(state)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .allMatch(n -> !n.contains("passwd"))
                        .contains(s.sessionId() + ".jsonl");
            }
        }
    }

    @Test
    void entriesThatCannotBeStoredAreRefusedAndTheTranscriptStaysUsable() throws Exception {
        try (FileSessionStore store = FileSessionStore.open(state)) {
            store.append("main", MAIN, numbered(1));
            ObjectNode spoof = NODES.objectNode().put("id", "other");
            assertThatThrownBy(() -> TranscriptEntry.of("message", spoof)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'id'");
            assertThatThrownBy(() -> TranscriptEntry.of("session", null)).isInstanceOf(IllegalArgumentException.class);
            // Jackson writes it, but its reader refuses numbers over 1000 digits: it would not read back.
            java.math.BigInteger huge = java.math.BigInteger.TEN.pow(1500);
            assertThatThrownBy(() -> store.append("main", MAIN, TranscriptEntry.message("user", NODES.numberNode(huge))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would not read back");
            assertThatThrownBy(() -> store.append("main", MAIN,
                    TranscriptEntry.message("user", NODES.textNode("z".repeat(TranscriptFile.MAX_LINE_BYTES)))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            store.append("main", MAIN, numbered(2));
            String id = store.get("main", MAIN).orElseThrow().sessionId();
            assertThat(TranscriptLines.parseAll(sessions("main").resolve(id + ".jsonl"))).hasSize(3);
        }
    }

    @Test
    void listIsPerAgentAndMostRecentlyUpdatedFirst() throws Exception {
        Instant[] now = {Instant.parse("2025-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now[0] = now[0].plusSeconds(1);
                return now[0];
            }
        };
        try (FileSessionStore store = FileSessionStore.open(state, clock)) {
            store.resolve("main", "a");
            store.resolve("main", "b");
            store.resolve("main", "c");
            store.append("main", "a", numbered(1));
            store.resolve("work", "a");
            assertThat(store.list("main")).extracting(SessionEntry::sessionKey).containsExactly("a", "c", "b");
            assertThat(store.list("work")).extracting(SessionEntry::sessionKey).containsExactly("a");
            assertThat(store.list("nobody")).isEmpty();
            assertThat(store.get("work", "a").orElseThrow().sessionId()).isNotEqualTo(store.get("main", "a").orElseThrow().sessionId());
        }
        assertThat(state.resolve("agents/nobody")).doesNotExist();
        FileSessionStore closed = FileSessionStore.open(state);
        closed.close();
        assertThatThrownBy(() -> closed.list("main")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}

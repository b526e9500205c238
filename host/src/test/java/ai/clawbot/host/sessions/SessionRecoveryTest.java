package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a crash, a lost file or a damaged file leaves behind, and what opening the store makes of it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionRecoveryTest {

    private static final String MAIN = "agent:main:main";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private final List<LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger packageLogger = Logger.getLogger("ai.clawbot.host.sessions");

    @BeforeEach
    void captureWarnings() {
        packageLogger.addHandler(capture);
    }

    @AfterEach
    void releaseWarnings() {
        packageLogger.removeHandler(capture);
    }

    private Path dir() {
        return state.resolve("agents/main/sessions");
    }

    private Path transcript(SessionEntry s) {
        return dir().resolve(s.sessionId() + ".jsonl");
    }

    private static TranscriptEntry numbered(int n) {
        return TranscriptEntry.message("user", JsonNodeFactory.instance.objectNode().put("n", n));
    }

    private static List<Integer> numbers(List<TranscriptEntry> entries) {
        return entries.stream().map(e -> e.payload().path("content").path("n").asInt()).toList();
    }

    private SessionEntry sessionWith(String key, int count) {
        try (FileSessionStore store = FileSessionStore.open(state)) {
            for (int i = 0; i < count; i++) {
                store.append("main", key, numbered(i));
            }
            return store.get("main", key).orElseThrow();
        }
    }

    private List<String> warningTexts() {
        return warnings.stream().map(LogRecord::getMessage).toList();
    }

    @Test
    void aTornLastLineIsSkippedByReadersAndCutBeforeTheNextAppend() throws Exception {
        SessionEntry s = sessionWith(MAIN, 3);
        long whole = Files.size(transcript(s));
        TranscriptLines.appendRaw(transcript(s), "{\"type\":\"message\",\"id\":\"torn\",\"parentId\":null,\"content\":{\"n\":");

        // A reader that meets the torn tail (before any repair) returns every complete entry.
        assertThat(numbers(TranscriptFile.readLast(transcript(s), 100))).containsExactly(0, 1, 2);

        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(numbers(store.read("main", MAIN, 100))).containsExactly(0, 1, 2);
            assertThat(Files.size(transcript(s))).as("cut back to the last complete line").isEqualTo(whole);
            store.append("main", MAIN, numbered(3));
        }
        assertThat(TranscriptLines.parseAll(transcript(s))).hasSize(5);
        assertThat(warningTexts()).anyMatch(m -> m.contains("torn or unreadable tail"));
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(numbers(store.read("main", MAIN, 100))).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void garbageAndZeroFilledTailsAreCutButNothingBeforeTheLastGoodLineIsLost() throws Exception {
        SessionEntry s = sessionWith(MAIN, 2);
        // Mid-file damage followed by good lines must stay: only the tail after the last good line is cut.
        TranscriptLines.appendRaw(transcript(s), "this is not json\n{\"type\":\"message\",\"id\":\"two\",\"parentId\":null,"
                + "\"timestamp\":\"2025-01-01T00:00:00Z\",\"role\":\"user\",\"content\":{\"n\":2}}\n");
        TranscriptLines.appendRaw(transcript(s), "{\"broken\n\u0000\u0000\u0000\u0000\u0000\u0000");
        long before = Files.size(transcript(s));

        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(numbers(store.read("main", MAIN, 100))).containsExactly(0, 1, 2);
            store.append("main", MAIN, numbered(3));
            assertThat(numbers(store.read("main", MAIN, 100))).containsExactly(0, 1, 2, 3);
        }
        String text = Files.readString(transcript(s), StandardCharsets.UTF_8);
        assertThat(text).contains("this is not json\n").doesNotContain("broken").doesNotContain("\u0000").endsWith("\n");
        assertThat(Files.size(transcript(s))).isLessThan(before + 200);
        assertThat(warningTexts()).anyMatch(m -> m.contains("skipped 1 unreadable line"));
    }

    @Test
    void aCompleteLineTooLongToJudgeIsNeverCut() throws Exception {
        SessionEntry s = sessionWith(MAIN, 1);
        // Not one of ours (appends over the limit are refused), but newline-terminated: a writer finished it.
        TranscriptLines.appendRaw(transcript(s), "{\"type\":\"custom\",\"id\":\"big\",\"data\":\""
                + "d".repeat(TranscriptFile.MAX_LINE_BYTES) + "\"}\n");
        long size = Files.size(transcript(s));
        try (FileSessionStore store = FileSessionStore.open(state)) {
            store.append("main", MAIN, numbered(1));
            assertThat(numbers(store.read("main", MAIN, 10))).containsExactly(0, 1);
        }
        assertThat(Files.size(transcript(s))).isGreaterThan(size);
    }

    @Test
    void aCompleteLastLineMissingOnlyItsNewlineIsKept() throws Exception {
        SessionEntry s = sessionWith(MAIN, 1);
        String line = "{\"type\":\"message\",\"id\":\"kept\",\"parentId\":null,\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"role\":\"user\",\"content\":{\"n\":1}}";
        TranscriptLines.appendRaw(transcript(s), line);
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(numbers(store.read("main", MAIN, 10))).containsExactly(0, 1);
            assertThat(store.append("main", MAIN, numbered(2)).entry().parentId()).isEqualTo("kept");
        }
        assertThat(TranscriptLines.parseAll(transcript(s))).hasSize(4);
    }

    @Test
    void aDeletedIndexIsRebuiltWithEverySessionOfEveryAgent() throws Exception {
        SessionEntry main = sessionWith(MAIN, 3);
        SessionEntry dm = sessionWith("agent:main:telegram:direct:42", 2);
        SessionEntry cron;
        try (FileSessionStore store = FileSessionStore.open(state)) {
            cron = store.resolve("main", "cron:nightly"); // no entries: the header alone must carry the key
            store.append("ops", "agent:ops:main", numbered(7));
        }
        Files.delete(dir().resolve("sessions.json"));
        Files.delete(state.resolve("agents/ops/sessions/sessions.json"));

        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.list("main")).extracting(SessionEntry::sessionKey, SessionEntry::sessionId)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(MAIN, main.sessionId()),
                            org.assertj.core.groups.Tuple.tuple("agent:main:telegram:direct:42", dm.sessionId()),
                            org.assertj.core.groups.Tuple.tuple("cron:nightly", cron.sessionId()));
            assertThat(store.list("main")).noneMatch(SessionEntry::missingTranscript);
            assertThat(numbers(store.read("main", MAIN, 10))).containsExactly(0, 1, 2);
            assertThat(numbers(store.read("ops", "agent:ops:main", 10))).containsExactly(7);
        }
        assertThat(dir().resolve("sessions.json")).exists();
        assertThat(JSON.readTree(dir().resolve("sessions.json").toFile()).path(MAIN).path("sessionId").asText())
                .isEqualTo(main.sessionId());
        assertThat(warningTexts()).anyMatch(m -> m.contains("is missing; rebuilding it from 3 transcript(s)"));
    }

    @Test
    void aCorruptIndexIsKeptAsideAndRebuilt() throws Exception {
        SessionEntry main = sessionWith(MAIN, 2);
        SessionEntry other = sessionWith("agent:main:other", 1);
        byte[] damaged = "{\"agent:main:main\": {\"sessionId\": \"".getBytes(StandardCharsets.UTF_8);
        Files.write(dir().resolve("sessions.json"), damaged);

        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.get("main", MAIN).orElseThrow().sessionId()).isEqualTo(main.sessionId());
            assertThat(store.get("main", "agent:main:other").orElseThrow().sessionId()).isEqualTo(other.sessionId());
            assertThat(numbers(store.read("main", MAIN, 10))).containsExactly(0, 1);
        }
        try (Stream<Path> files = Files.list(dir())) {
            Path kept = files.filter(p -> p.getFileName().toString().startsWith("sessions.json.corrupt.")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(kept)).isEqualTo(damaged);
        }
        assertThat(warningTexts()).anyMatch(m -> m.contains("cannot be read (it is not valid JSON"));

        // Valid JSON of the wrong shape is no better than invalid JSON.
        Files.writeString(dir().resolve("sessions.json"), "[1, 2, 3]");
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.list("main")).hasSize(2);
        }
    }

    @Test
    void aTranscriptWithoutARowGetsOneAndARowWithoutATranscriptIsKeptMarked() throws Exception {
        SessionEntry kept = sessionWith(MAIN, 1);
        SessionEntry orphan = sessionWith("agent:main:orphan", 2);
        SessionEntry lost = sessionWith("agent:main:lost", 2);
        // A crash between creating a transcript and writing its row; and a transcript removed behind our back.
        ObjectNode index = (ObjectNode) JSON.readTree(dir().resolve("sessions.json").toFile());
        index.remove("agent:main:orphan");
        Files.write(dir().resolve("sessions.json"), JSON.writeValueAsBytes(index));
        Files.delete(transcript(lost));

        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.get("main", "agent:main:orphan").orElseThrow().sessionId()).isEqualTo(orphan.sessionId());
            assertThat(numbers(store.read("main", "agent:main:orphan", 10))).containsExactly(0, 1);
            SessionEntry marked = store.get("main", "agent:main:lost").orElseThrow();
            assertThat(marked.missingTranscript()).isTrue();
            assertThat(marked.sessionId()).isEqualTo(lost.sessionId());
            assertThat(store.list("main")).hasSize(3);
            assertThat(store.get("main", MAIN).orElseThrow().missingTranscript()).isFalse();
            assertThat(JSON.readTree(dir().resolve("sessions.json").toFile()).path("agent:main:lost")
                    .path("missingTranscript").asBoolean()).isTrue();

            assertThat(store.read("main", "agent:main:lost", 10)).isEmpty();
            assertThatThrownBy(() -> store.append("main", "agent:main:lost", numbered(9)))
                    .isInstanceOf(SessionStoreException.class).hasMessageContaining("missing").hasMessageContaining("reset");
            SessionEntry fresh = store.reset("main", "agent:main:lost");
            assertThat(fresh.missingTranscript()).isFalse();
            store.append("main", "agent:main:lost", numbered(9));
            assertThat(numbers(store.read("main", "agent:main:lost", 10))).containsExactly(9);
        }
        assertThat(kept).isNotNull();
        assertThat(warningTexts()).anyMatch(m -> m.contains("had no row; indexed it as 'agent:main:orphan'"))
                .anyMatch(m -> m.contains("is missing; the row is kept and marked missingTranscript"));
    }

    @Test
    void anInterruptedResetIsCompletedWithoutLosingTheOldTranscript() throws Exception {
        SessionEntry old = sessionWith(MAIN, 3);
        byte[] oldBytes = Files.readAllBytes(transcript(old));
        SessionEntry fresh;
        try (FileSessionStore store = FileSessionStore.open(state)) {
            fresh = store.reset("main", MAIN);
        }
        // The crash came after the index named the new session, before the old transcript was archived.
        try (Stream<Path> files = Files.list(dir())) {
            for (Path archive : files.filter(p -> p.getFileName().toString().contains(".reset.")).toList()) {
                Files.delete(archive);
            }
        }
        Files.write(transcript(old), oldBytes);

        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.list("main")).singleElement().satisfies(s -> assertThat(s.sessionId()).isEqualTo(fresh.sessionId()));
        }
        assertThat(transcript(old)).doesNotExist();
        try (Stream<Path> files = Files.list(dir())) {
            Path archived = files.filter(p -> p.getFileName().toString().startsWith(old.sessionId() + ".jsonl.reset."))
                    .findFirst().orElseThrow();
            assertThat(Files.readAllBytes(archived)).isEqualTo(oldBytes);
        }
    }

    @Test
    void aTranscriptWhoseHeaderIsUnreadableIsLeftInPlaceAndRefusesAppends() throws Exception {
        SessionEntry s = sessionWith(MAIN, 1);
        String original = Files.readString(transcript(s));
        Files.writeString(transcript(s), "garbage header\n" + original.substring(original.indexOf('\n') + 1));
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(numbers(store.read("main", MAIN, 10))).containsExactly(0);
            assertThatThrownBy(() -> store.append("main", MAIN, numbered(1))).isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("not a session header");
        }
        assertThat(Files.readString(transcript(s))).startsWith("garbage header\n");
    }

    @Test
    void staleTempFilesOfInterruptedWritesAreRemoved() throws IOException {
        sessionWith(MAIN, 1);
        Path temp = dir().resolve(".sessions.json12345.tmp");
        Files.writeString(temp, "{half");
        try (FileSessionStore store = FileSessionStore.open(state)) {
            assertThat(store.list("main")).hasSize(1);
        }
        assertThat(temp).doesNotExist();
        JsonNode index = JSON.readTree(dir().resolve("sessions.json").toFile());
        assertThat(index.size()).isEqualTo(1);
    }
}

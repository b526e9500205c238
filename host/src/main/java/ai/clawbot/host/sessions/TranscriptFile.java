package ai.clawbot.host.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One {@code <sessionId>.jsonl} transcript: a header line, then one JSON entry per line, each line written
 * whole by a single write and fsync'd before the append returns.
 *
 * <p>A crash can still leave a torn last line (a write cut short, or a tail of zeros after a power loss).
 * Readers skip it; {@link #repair} cuts the file back to its last complete line before anything is appended,
 * so a torn line never glues itself to the next entry. Only bytes after the last line that parses are ever
 * removed.
 */
final class TranscriptFile {

    static final int VERSION = 1;
    /** Larger entries are refused when written and treated as unreadable when read, bounding reader memory. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(TranscriptFile.class.getName());
    // Strict: "{...}{..." (an unrepaired tail glued to a line) must not read as its first object.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What line 1 says: the session's identity, so an index can be rebuilt from transcripts alone. */
    record Header(String sessionId, String agentId, String sessionKey, Instant timestamp) {
    }

    /** The state of a transcript's end, after {@link #repair}. */
    sealed interface Tail {
        /** Ready for appends; {@code lastEntryId} is null when the transcript has no entry yet. */
        record Sound(String lastEntryId) implements Tail {
        }

        /** Not appendable without losing data (no readable header); the file was left as it is. */
        record Damaged(String why) implements Tail {
        }
    }

    private TranscriptFile() {
    }

    static String fileName(String sessionId) {
        return sessionId + ".jsonl";
    }

    /** Creates the transcript with its header; it appears whole (temp file + rename) or not at all. */
    static void create(Path file, Header header) throws IOException {
        ObjectNode line = JSON.createObjectNode().put("type", TranscriptEntry.HEADER_TYPE).put("version", VERSION)
                .put("id", header.sessionId()).put("timestamp", header.timestamp().toString())
                .put("agentId", header.agentId()).put("sessionKey", header.sessionKey());
        Durable.create(file, line(line));
    }

    /** The header, or empty when line 1 is not a readable session header. */
    static Optional<Header> readHeader(Path file) throws IOException {
        byte[] first;
        try (InputStream in = Files.newInputStream(file)) {
            first = in.readNBytes(MAX_HEADER_BYTES);
        }
        int nl = indexOf(first, (byte) '\n');
        JsonNode node = parse(first, nl < 0 ? first.length : nl);
        if (node == null || !TranscriptEntry.HEADER_TYPE.equals(node.path("type").asText())
                || !SessionNames.isSessionId(node.path("id").asText(null)) || !node.path("sessionKey").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new Header(node.get("id").asText(), node.path("agentId").asText(null),
                node.get("sessionKey").asText(), TranscriptEntry.timestamp(node.get("timestamp"))));
    }

    /**
     * Cuts everything after the last line that parses (a torn or garbage tail) and ends that line with a
     * newline if it lacks one. Logs a warning whenever it changes the file.
     */
    static Tail repair(Path file) throws IOException {
        if (readHeader(file).isEmpty()) {
            return new Tail.Damaged("its first line is not a session header");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ReverseLines lines = new ReverseLines(ch, MAX_LINE_BYTES);
            ReverseLines.Line line;
            JsonNode last = null;
            while ((line = lines.previous()) != null && (last = parse(line)) == null) {
                if (line.bytes() == null && line.terminated()) {
                    break; // complete but over our limit (not ours: we refuse such lines); too big to judge, so kept
                }
            }
            if (line == null) {
                return new Tail.Damaged("no line of it is readable"); // unreachable with a readable header
            }
            long keep = line.end() + (line.terminated() ? 1 : 0);
            if (keep < size) {
                ch.truncate(keep);
                LOG.log(Level.WARNING, "transcript " + file + ": cut " + (size - keep)
                        + " bytes of torn or unreadable tail after its last complete line (crash during a write?)");
            }
            if (!line.terminated()) {
                ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
                while (newline.hasRemaining()) {
                    ch.write(newline, keep);
                }
                LOG.log(Level.WARNING, "transcript " + file + ": its last line lacked a newline; added one");
            }
            if (keep < size || !line.terminated()) {
                ch.force(true);
            }
            return new Tail.Sound(last == null ? null : TranscriptEntry.fromJson(last).map(TranscriptEntry::id).orElse(null));
        }
    }

    /** The line {@code entry} is stored as, without its newline (a database row), under the same limits. */
    static String encodeLine(TranscriptEntry entry) {
        byte[] bytes = encode(entry);
        return new String(bytes, 0, bytes.length - 1, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The bytes of the line {@code entry} is stored as. */
    static byte[] encode(TranscriptEntry entry) {
        byte[] bytes = line(entry.toJson());
        if (bytes.length > MAX_LINE_BYTES) {
            throw new IllegalArgumentException("the transcript entry has " + bytes.length + " bytes; the limit is " + MAX_LINE_BYTES);
        }
        // A line that does not read back (e.g. a number over the parser's length limit) would be taken for a torn
        // tail and cut by the next repair: an acknowledged entry lost. Refuse it while the caller can still hear.
        if (parse(bytes, bytes.length - 1) == null) {
            throw new IllegalArgumentException("the transcript entry would not read back as JSON (over a parser limit?)");
        }
        return bytes;
    }

    /** Appends one encoded line and returns once it is on disk. */
    static void append(Path file, byte[] line) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            Durable.writeFully(ch, ByteBuffer.wrap(line));
            ch.force(true);
        }
    }

    /** The last {@code limit} entries, oldest first; lines that are not readable entries are skipped. */
    static List<TranscriptEntry> readLast(Path file, int limit) throws IOException {
        List<TranscriptEntry> newestFirst = new ArrayList<>();
        int skipped = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ReverseLines lines = new ReverseLines(ch, MAX_LINE_BYTES);
            ReverseLines.Line line;
            while (newestFirst.size() < limit && (line = lines.previous()) != null) {
                JsonNode node = parse(line);
                Optional<TranscriptEntry> entry = TranscriptEntry.fromJson(node);
                if (entry.isPresent()) {
                    newestFirst.add(entry.get());
                } else if (node == null || !(line.start() == 0 && TranscriptEntry.HEADER_TYPE.equals(node.path("type").asText()))) {
                    skipped++;
                }
            }
        }
        if (skipped > 0) {
            LOG.log(Level.WARNING, "transcript " + file + ": skipped " + skipped + " unreadable line(s)");
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** The entry one line (without its newline) holds, read as {@link #readLast} reads a file's lines. */
    static java.util.Optional<TranscriptEntry> decode(String line) {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return TranscriptEntry.fromJson(parse(bytes, bytes.length));
    }

    private static JsonNode parse(ReverseLines.Line line) {
        return line.bytes() == null ? null : parse(line.bytes(), line.bytes().length);
    }

    /** The JSON object in the first {@code length} bytes, or null when they are not exactly one object. */
    private static JsonNode parse(byte[] bytes, int length) {
        try {
            JsonNode node = JSON.readTree(bytes, 0, length);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            return null; // in-memory bytes: only malformed content lands here
        }
    }

    private static byte[] line(JsonNode node) {
        try {
            byte[] json = JSON.writeValueAsBytes(node);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            // Unencodable content (e.g. a lone surrogate): refuse before touching the file.
            throw new IllegalArgumentException("the transcript entry cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

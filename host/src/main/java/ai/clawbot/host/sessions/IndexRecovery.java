package ai.clawbot.host.sessions;

import ai.clawbot.host.sessions.SessionIndex.Loaded;
import ai.clawbot.host.sessions.TranscriptFile.Header;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings an agent's index in line with the transcripts on disk when the store opens. The transcripts are the
 * truth (each header names its session key); the index is a cache of them that must never lose a row:
 * <ul>
 * <li>a missing or unreadable index is rebuilt from the transcripts (an unreadable one is kept beside it as
 *     {@code sessions.json.corrupt.<ts>});</li>
 * <li>a transcript no row points to gets a row; if its key already has a live session, it is the leftover of
 *     an interrupted reset and is archived as {@code .reset.<ts>} (renamed, never deleted);</li>
 * <li>a row whose transcript is gone is kept and marked {@code missingTranscript}.</li>
 * </ul>
 * Every such repair is logged as a warning.
 */
final class IndexRecovery {

    private static final System.Logger LOG = System.getLogger(IndexRecovery.class.getName());
    private static final String SUFFIX = ".jsonl";

    /** The rows after recovery; {@code changed} when they differ from the file and must be written. */
    record Recovered(LinkedHashMap<String, ObjectNode> rows, boolean changed) {
    }

    private record Orphan(String sessionId, Path file, Header header) {
    }

    private IndexRecovery() {
    }

    static Recovered recover(Path dir, String agentId, Instant now) throws IOException {
        Path indexFile = dir.resolve(SessionIndex.FILE_NAME);
        Map<String, Path> live = liveTranscripts(dir);
        LinkedHashMap<String, ObjectNode> rows;
        boolean changed;
        switch (SessionIndex.read(indexFile)) {
            case Loaded.Found found -> {
                rows = found.rows();
                changed = !found.dropped().isEmpty();
                if (changed) {
                    Path kept = Durable.archive(indexFile, "corrupt", now);
                    LOG.log(Level.WARNING, "session index " + indexFile + ": rows without a session id for keys "
                            + found.dropped() + " cannot be used; the file is kept as " + kept.getFileName()
                            + " and the rows are rebuilt from transcripts where one names them");
                }
            }
            case Loaded.Missing missing -> {
                rows = new LinkedHashMap<>();
                changed = !live.isEmpty();
                if (changed) {
                    LOG.log(Level.WARNING, "session index " + indexFile + " is missing; rebuilding it from "
                            + live.size() + " transcript(s)");
                }
            }
            case Loaded.Unreadable unreadable -> {
                rows = new LinkedHashMap<>();
                changed = true;
                Path kept = Durable.archive(indexFile, "corrupt", now);
                LOG.log(Level.WARNING, "session index " + indexFile + " cannot be read (" + unreadable.why()
                        + "); it is kept as " + kept.getFileName() + " and rebuilt from " + live.size() + " transcript(s)");
            }
        }
        Set<String> referenced = new HashSet<>();
        changed |= markMissing(rows, live, referenced, indexFile);
        changed |= adoptOrphans(rows, live, referenced, agentId, dir, now);
        changed |= catchUpUpdatedAt(rows, live);
        return new Recovered(rows, changed);
    }

    /** The {@code <sessionId>.jsonl} files of {@code dir} by session id; archives and temp files are not live. */
    static Map<String, Path> liveTranscripts(Path dir) throws IOException {
        Map<String, Path> live = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return live;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (SessionNames.isSessionId(id) && Files.isRegularFile(file)) {
                    live.put(id, file);
                } else if (!name.startsWith(".")) {
                    LOG.log(Level.WARNING, "session folder " + dir + ": ignoring " + name + " (not a <sessionId>.jsonl name)");
                }
            }
        }
        return live;
    }

    private static boolean markMissing(Map<String, ObjectNode> rows, Map<String, Path> live, Set<String> referenced,
                                       Path indexFile) {
        boolean changed = false;
        for (Map.Entry<String, ObjectNode> e : rows.entrySet()) {
            ObjectNode row = e.getValue();
            String id = SessionIndex.sessionId(row);
            boolean present = live.containsKey(id);
            if (present) {
                referenced.add(id);
            }
            if (present == SessionIndex.missingTranscript(row)) {
                SessionIndex.setMissingTranscript(row, !present);
                changed = true;
                LOG.log(Level.WARNING, present
                        ? "session index " + indexFile + ": the transcript of '" + e.getKey() + "' (" + id + ") is back"
                        : "session index " + indexFile + ": the transcript of '" + e.getKey() + "' (" + id
                          + ") is missing; the row is kept and marked missingTranscript");
            }
        }
        return changed;
    }

    private static boolean adoptOrphans(Map<String, ObjectNode> rows, Map<String, Path> live, Set<String> referenced,
                                        String agentId, Path dir, Instant now) throws IOException {
        List<Orphan> orphans = new ArrayList<>();
        for (Map.Entry<String, Path> e : live.entrySet()) {
            if (referenced.contains(e.getKey())) {
                continue;
            }
            Optional<Header> header = TranscriptFile.readHeader(e.getValue());
            if (header.isEmpty() || !SessionNames.isSessionKey(header.get().sessionKey())) {
                // Without a key there is no row to give it; it stays on disk for a person to look at.
                LOG.log(Level.WARNING, "session folder " + dir + ": " + e.getValue().getFileName()
                        + " has no readable session header naming its key; it is not indexed");
                continue;
            }
            orphans.add(new Orphan(e.getKey(), e.getValue(), header.get()));
        }
        // Newest first: when several transcripts claim one key, the newest becomes current.
        orphans.sort(Comparator.comparing((Orphan o) -> o.header().timestamp()).reversed()
                .thenComparing(Orphan::sessionId));
        for (Orphan o : orphans) {
            String key = o.header().sessionKey();
            if (o.header().agentId() != null && !o.header().agentId().equals(agentId)) {
                LOG.log(Level.WARNING, "transcript " + o.file() + " names agent '" + o.header().agentId()
                        + "' but lies in the folder of agent '" + agentId + "'; it is indexed there");
            }
            ObjectNode row = rows.get(key);
            if (row == null) {
                rows.put(key, SessionIndex.newRow(o.sessionId(), o.header().timestamp(), modified(o.file())));
                LOG.log(Level.WARNING, "session index of agent " + agentId + ": transcript " + o.file().getFileName()
                        + " had no row; indexed it as '" + key + "'");
            } else if (SessionIndex.missingTranscript(row)) {
                String lost = SessionIndex.sessionId(row);
                row.put("sessionId", o.sessionId());
                SessionIndex.setMissingTranscript(row, false);
                SessionIndex.setUpdatedAt(row, modified(o.file()));
                LOG.log(Level.WARNING, "session index of agent " + agentId + ": '" + key + "' pointed to missing transcript "
                        + lost + "; it now points to " + o.file().getFileName() + ", which names it");
            } else {
                Path kept = Durable.archive(o.file(), "reset", now);
                LOG.log(Level.WARNING, "session index of agent " + agentId + ": transcript " + o.file().getFileName()
                        + " also claims '" + key + "', whose row points to a live transcript (a reset was interrupted);"
                        + " archived it as " + kept.getFileName());
            }
        }
        return !orphans.isEmpty();
    }

    /**
     * Appends change the last-update time in memory only (rewriting the index on every message would double the
     * cost of an append); after a crash the transcript's modification time tells the truth.
     */
    private static boolean catchUpUpdatedAt(Map<String, ObjectNode> rows, Map<String, Path> live) throws IOException {
        boolean changed = false;
        for (ObjectNode row : rows.values()) {
            Path file = live.get(SessionIndex.sessionId(row));
            if (file != null) {
                Instant modified = modified(file);
                if (modified.isAfter(SessionIndex.updatedAt(row))) {
                    SessionIndex.setUpdatedAt(row, modified);
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static Instant modified(Path file) throws IOException {
        return Instant.ofEpochMilli(Files.getLastModifiedTime(file).toMillis()); // the index keeps milliseconds
    }
}

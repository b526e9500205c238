package ai.clawbot.host.sessions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Copies a state folder's sessions ({@code agents/<id>/sessions/}: the index and every live transcript) into the
 * PostgreSQL store, keeping session ids, times, entry ids and parent links; then counts both sides. Safe to run
 * again: rows already there are left as they are ({@code ON CONFLICT DO NOTHING}). Archived transcripts
 * ({@code .reset.*}, {@code .deleted.*}) stay in the folder.
 */
public final class SessionMigration {

    /** What was found in the folder and what the database holds for those sessions afterwards. */
    public record Counts(int sessions, long entries, int sessionsInDatabase, long entriesInDatabase) {
        public boolean complete() {
            return sessions == sessionsInDatabase && entries == entriesInDatabase;
        }
    }

    private SessionMigration() {
    }

    public static Counts toPostgres(Path stateRoot, DataSource db) throws IOException, SQLException {
        int sessions = 0;
        long entries = 0;
        int sessionsInDb = 0;
        long entriesInDb = 0;
        Path agents = stateRoot.resolve("agents");
        // Opening the file store first repairs what a crash left (torn tails, index rows) as a gateway start would.
        try (FileSessionStore files = FileSessionStore.open(stateRoot); Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            if (!Files.isDirectory(agents)) {
                return new Counts(0, 0, 0, 0);
            }
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(agents, Files::isDirectory)) {
                for (Path folder : folders) {
                    String agentId = folder.getFileName().toString();
                    if (!SessionNames.isAgentId(agentId)) {
                        continue;
                    }
                    for (SessionEntry s : files.list(agentId)) {
                        if (s.missingTranscript()) {
                            continue; // nothing to copy; listed by the file store until reset
                        }
                        List<TranscriptEntry> lines = TranscriptFile.readLast(
                                files.sessionsFolder(agentId).resolve(TranscriptFile.fileName(s.sessionId())), Integer.MAX_VALUE);
                        sessions++;
                        entries += lines.size();
                        copy(c, s, lines);
                        c.commit();
                        sessionsInDb += (int) count(c, "SELECT COUNT(*) FROM sessions WHERE session_id = ?", s.sessionId());
                        entriesInDb += count(c, "SELECT COUNT(*) FROM transcript_entries WHERE session_id = ?", s.sessionId());
                    }
                }
            }
        }
        return new Counts(sessions, entries, sessionsInDb, entriesInDb);
    }

    private static void copy(Connection c, SessionEntry s, List<TranscriptEntry> lines) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (agent_id, session_key, session_id, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, s.agentId());
            ps.setString(2, s.sessionKey());
            ps.setString(3, s.sessionId());
            ps.setLong(4, s.createdAt().toEpochMilli());
            ps.setLong(5, s.updatedAt().toEpochMilli());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO transcript_entries (session_id, seq, entry_id, line)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            long seq = 0;
            for (TranscriptEntry e : lines) {
                String line = TranscriptFile.encodeLine(e);
                ps.setString(1, s.sessionId());
                ps.setLong(2, ++seq);
                ps.setString(3, e.id());
                ps.setString(4, line);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long count(Connection c, String sql, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

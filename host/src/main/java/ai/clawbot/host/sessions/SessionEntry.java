package ai.clawbot.host.sessions;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of an agent's session index: the session key and the session that currently backs it.
 *
 * @param missingTranscript the index names a transcript that is not on disk; the row is kept so that the loss
 *                          is visible, and the session takes no appends until it is {@linkplain SessionStore#reset reset}
 */
public record SessionEntry(String agentId, String sessionKey, String sessionId, Instant createdAt, Instant updatedAt,
                           boolean missingTranscript) {

    public SessionEntry {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}

package ai.clawbot.host.sessions;

/** An entry that is now durable: the entry as written (its parent id filled in) and the session it went to. */
public record Appended(SessionEntry session, TranscriptEntry entry) {
}

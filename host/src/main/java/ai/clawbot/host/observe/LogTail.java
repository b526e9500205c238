package ai.clawbot.host.observe;

import java.util.List;

/**
 * One answer to {@code logs.tail}.
 *
 * @param cursor pass it back to continue after what was returned
 * @param lines oldest first
 * @param truncated the limit or the byte budget cut the answer (or cut the one line it holds); more
 *     lines follow {@code cursor}
 * @param reset the given cursor was not continuous with the ring (lines were dropped, or it came from
 *     another process); the answer starts from the oldest line kept
 */
public record LogTail(long cursor, List<LogLine> lines, boolean truncated, boolean reset) {

    public LogTail {
        lines = List.copyOf(lines);
    }
}

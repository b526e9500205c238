package ai.clawbot.host.sessions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * The process {@link CrashSafetyTest} kills: appends {@code count} messages round-robin to three sessions of
 * {@code crash} and prints {@code ACK <n>} after each append returns, i.e. at the moment the gateway would
 * acknowledge the message. {@code APPENDING <n> <padding>} before each append lets the parent aim a kill at a
 * write. It ends on its own only if the parent lets it run out of messages.
 *
 * <p>Arguments: state folder, round, count, seed, and the number of one message to pad to {@link #HUGE} bytes
 * (-1 for none), whose write is long enough for the parent to kill the child in the middle of it.
 */
public final class CrashChild {

    static final String AGENT = "crash";
    static final int SESSIONS = 3;
    static final int HUGE = 8 * 1024 * 1024;

    private CrashChild() {
    }

    static String sessionKey(int n) {
        return "agent:crash:s" + (n % SESSIONS);
    }

    public static void main(String[] args) {
        Path state = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        Random random = new Random(Long.parseLong(args[3]));
        int hugeAt = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        // Not closed: the parent kills this process; the store's only in-memory state is last-update times.
        SessionStore store = FileSessionStore.open(state);
        out.println("OPEN");
        out.flush();
        for (int n = 0; n < count; n++) {
            int size = n == hugeAt ? HUGE : random.nextInt(8) == 0 ? 100_000 + random.nextInt(200_000) : random.nextInt(2_000);
            var content = JsonNodeFactory.instance.objectNode().put("round", round).put("n", n)
                    .put("pad", "x".repeat(size));
            TranscriptEntry entry = TranscriptEntry.message("user", content);
            out.println("APPENDING " + n + " " + size);
            out.flush();
            store.append(AGENT, sessionKey(n), entry);
            out.println("ACK " + n);
            out.flush();
        }
        out.println("DONE");
        out.flush();
    }
}

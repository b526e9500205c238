package ai.clawbot.host.sandbox;

/** Runs one tool call of a verified skill in isolation. Implementations must never run skill code in the host JVM. */
public interface Sandbox extends AutoCloseable {

    ToolOutcome call(SandboxCall call);

    @Override
    default void close() {
    }
}

package ai.clawbot.host.sandbox;

/** Hooks into a sandbox's lifecycle (audit, metrics, and tests that inspect a live container). */
public interface SandboxObserver {

    SandboxObserver NONE = new SandboxObserver() {
    };

    /** Called once the container is running, before the first request is sent to it. */
    default void started(String containerId, SandboxCall call) {
    }

    /** Every egress decision of a sandbox's proxy (refusals are also logged as warnings). */
    default void egress(ai.clawbot.host.sandbox.egress.EgressEvent event) {
    }

    /** Called after the container has been removed. */
    default void removed(String containerId) {
    }
}

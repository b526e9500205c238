package ai.clawbot.host.sandbox.egress;

/**
 * Hears every allowlist decision of an {@link EgressProxy} (audit, metrics, tests). Called on the
 * connection's own thread, before anything is sent to the destination or the refusal is written: keep it quick
 * and do not throw.
 */
public interface EgressListener {

    EgressListener NONE = new EgressListener() {
    };

    /** The destination is allowed; the proxy is about to connect to it. */
    default void allowed(EgressEvent event) {
    }

    /** The destination was refused; nothing was sent to it. */
    default void refused(EgressEvent event) {
    }
}

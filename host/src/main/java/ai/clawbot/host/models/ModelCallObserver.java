package ai.clawbot.host.models;

/**
 * Told about every call the router makes to a model, for metrics. Called on the caller's thread after the call
 * ended; must not throw (the router ignores what it throws) and must be quick.
 */
@FunctionalInterface
public interface ModelCallObserver {

    ModelCallObserver NONE = call -> { };

    void observe(ModelCall call);

    /** How one call to one model ended. */
    enum Outcome { OK, FAILED, ABORTED }

    /**
     * One call to one provider's model; token counts are what the provider reported, or -1 when it reported none
     * (a failed or aborted call, or a provider that sends no usage).
     */
    record ModelCall(String provider, String api, String model, Outcome outcome, long inputTokens, long outputTokens) {
    }
}

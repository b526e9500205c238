package ai.clawbot.host.policy;

/** The answer to {@code approvals.resolve}; only {@link Ok} changed anything. */
public sealed interface Resolution permits Resolution.Ok, Resolution.UnknownId, Resolution.AlreadyResolved,
        Resolution.InvalidDecision {

    record Ok(Resolved resolved) implements Resolution {
    }

    /** Never queued, or resolved so long ago that it left the bounded history. */
    record UnknownId(String id) implements Resolution {
    }

    /** Already decided (by someone else, a pre-approval or the timeout): the first decision stands. */
    record AlreadyResolved(Resolved resolved) implements Resolution {
    }

    /** The decision was not {@code approve} or {@code deny}; nothing changed. */
    record InvalidDecision(String decision) implements Resolution {
    }

    /** A message for a gateway error reply. */
    default String message() {
        return switch (this) {
            case Ok ok -> "resolved: " + ok.resolved().decision().describe();
            case UnknownId u -> "no pending approval " + PolicyNames.quote(u.id());
            case AlreadyResolved a -> "approval " + PolicyNames.quote(a.resolved().request().id())
                    + " was already resolved: " + a.resolved().decision().describe();
            case InvalidDecision d -> "decision must be \"approve\" or \"deny\", got "
                    + PolicyNames.quote(d.decision());
        };
    }
}

package ai.clawbot.testkit.contract;

/**
 * One checked point of the contract: which rule, about what (a tool, an example, a process), whether it held,
 * and — when it did not — what happened and how to fix it.
 */
public record Finding(ContractRule rule, String subject, boolean passed, String message) {

    static Finding pass(ContractRule rule, String subject, String message) {
        return new Finding(rule, subject, true, message);
    }

    static Finding fail(ContractRule rule, String subject, String problem, String fix) {
        return new Finding(rule, subject, false, rule + " rule failed (" + rule.statement() + ") for " + subject + ": "
                + problem + ". Fix: " + fix);
    }

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + rule + " " + subject + (passed ? "" : ": " + message);
    }
}

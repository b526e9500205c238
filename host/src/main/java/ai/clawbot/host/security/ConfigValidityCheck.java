package ai.clawbot.host.security;

import java.util.List;

/** {@code openclaw.json} the gateway would refuse (the other checks read it as written, whatever its problems). */
record ConfigValidityCheck() implements AuditCheck {

    static final String ID = "config.invalid";

    @Override
    public List<Finding> run(AuditContext c) {
        return c.configProblem().map(e -> List.of(Finding.warn(ID, "openclaw.json is not valid",
                e.getMessage(), "fix the paths named above (claw doctor lists each one)"))).orElse(List.of());
    }
}

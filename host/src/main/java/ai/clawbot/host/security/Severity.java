package ai.clawbot.host.security;

import java.util.Locale;

/** How bad a finding is; the audit exits 0 only when nothing is {@link #WARN} or worse. */
public enum Severity {
    INFO, WARN, CRITICAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}

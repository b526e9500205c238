package ai.clawbot.host.security;

import java.util.Objects;

/**
 * One audit finding.
 *
 * @param checkId  stable id of what was checked ({@code gateway.bind.non_loopback}); tests and scripts match on it
 * @param severity info, warn or critical
 * @param title    one line: what is wrong
 * @param detail   what it means here (names the file, key, agent or container); never a secret's value
 * @param fix      what to run or change to fix it
 */
public record Finding(String checkId, Severity severity, String title, String detail, String fix) {

    public Finding {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(title, "title");
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }

    public static Finding info(String checkId, String title, String detail) {
        return new Finding(checkId, Severity.INFO, title, detail, "");
    }

    public static Finding warn(String checkId, String title, String detail, String fix) {
        return new Finding(checkId, Severity.WARN, title, detail, fix);
    }

    public static Finding critical(String checkId, String title, String detail, String fix) {
        return new Finding(checkId, Severity.CRITICAL, title, detail, fix);
    }
}

package ai.clawbot.host.doctor;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code claw doctor}.
 *
 * @param check  short name ({@code docker}, {@code port})
 * @param detail what was found
 * @param fix    what to run to fix it (empty when {@code OK})
 * @param repair what {@code --fix} does about it, when that is safe to do unattended
 */
public record DoctorResult(String check, Status status, String detail, String fix, Optional<Repair> repair) {

    public enum Status {
        OK, WARN, FAIL;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A safe, unattended fix; returns a sentence saying what it did. */
    @FunctionalInterface
    public interface Repair {
        String apply() throws Exception;
    }

    public DoctorResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
        repair = repair == null ? Optional.empty() : repair;
    }

    public static DoctorResult ok(String check, String detail) {
        return new DoctorResult(check, Status.OK, detail, "", Optional.empty());
    }

    public static DoctorResult warn(String check, String detail, String fix) {
        return new DoctorResult(check, Status.WARN, detail, fix, Optional.empty());
    }

    public static DoctorResult fail(String check, String detail, String fix) {
        return new DoctorResult(check, Status.FAIL, detail, fix, Optional.empty());
    }

    public DoctorResult withRepair(Repair r) {
        return new DoctorResult(check, status, detail, fix, Optional.of(r));
    }
}

package ai.clawbot.host.doctor;

import java.util.List;

/** One check of {@code claw doctor}: one or more lines, each with the command that fixes it. */
@FunctionalInterface
public interface DoctorCheck {

    List<DoctorResult> run(DoctorContext context);
}

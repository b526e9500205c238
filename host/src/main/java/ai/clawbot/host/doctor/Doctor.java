package ai.clawbot.host.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** {@code claw doctor [--fix]}: runs every check; with {@code --fix}, applies each safe repair once and checks again. */
public final class Doctor {

    private final List<DoctorCheck> checks;

    private Doctor(List<DoctorCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    public static Doctor create() {
        return new Doctor(List.of(new JdkCheck(), new DockerEngineCheck(), new ImagesCheck(), new StateFolderCheck(),
                new PortCheck(), new ConfigCheck(), new PluginsCheck(), new ClockCheck()));
    }

    /** The outcome: every line (after repairs, when fixing) and what the repairs did. */
    public record Report(List<DoctorResult> results, List<String> fixed) {

        public boolean ok() {
            return results.stream().noneMatch(r -> r.status() == DoctorResult.Status.FAIL);
        }

        public String toText() {
            StringBuilder b = new StringBuilder();
            for (DoctorResult r : results) {
                b.append(String.format("[%-4s] %-8s %s%n", r.status() == DoctorResult.Status.OK ? "ok" : r.status().name(),
                        r.check(), r.detail()));
                if (!r.fix().isEmpty()) {
                    b.append("                fix: ").append(r.fix()).append('\n');
                }
            }
            fixed.forEach(f -> b.append("fixed: ").append(f).append('\n'));
            return b.toString();
        }

        public ObjectNode toJson() {
            ObjectNode o = new ObjectMapper().createObjectNode().put("ok", ok());
            ArrayNode list = o.putArray("checks");
            for (DoctorResult r : results) {
                list.addObject().put("check", r.check()).put("status", r.status().wire()).put("detail", r.detail())
                        .put("fix", r.fix()).put("fixable", r.repair().isPresent());
            }
            fixed.forEach(o.putArray("fixed")::add);
            return o;
        }
    }

    public Report run(DoctorContext context, boolean fix) {
        List<String> fixed = new ArrayList<>();
        List<DoctorResult> results = new ArrayList<>();
        for (DoctorCheck check : checks) {
            List<DoctorResult> lines = safely(check, context);
            if (fix) {
                // One repair may serve several lines (one image build for every missing image): run it once.
                Map<DoctorResult.Repair, Boolean> done = new IdentityHashMap<>();
                boolean any = false;
                for (DoctorResult r : lines) {
                    if (r.status() != DoctorResult.Status.OK && r.repair().isPresent() && done.put(r.repair().get(), true) == null) {
                        try {
                            fixed.add(r.check() + ": " + r.repair().get().apply());
                        } catch (Exception e) {
                            fixed.add(r.check() + ": the repair failed: " + e.getMessage());
                        }
                        any = true;
                    }
                }
                if (any) {
                    lines = safely(check, context);
                }
            }
            results.addAll(lines);
        }
        return new Report(results, fixed);
    }

    private static List<DoctorResult> safely(DoctorCheck check, DoctorContext context) {
        try {
            return check.run(context);
        } catch (RuntimeException e) {
            return List.of(DoctorResult.fail(check.getClass().getSimpleName(), "the check itself failed: " + e, "report this"));
        }
    }
}

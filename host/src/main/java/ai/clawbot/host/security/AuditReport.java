package ai.clawbot.host.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The findings of one audit run, worst first. */
public record AuditReport(List<Finding> findings, boolean deep) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public AuditReport {
        findings = findings.stream()
                .sorted(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::checkId))
                .toList();
    }

    /** True when nothing is {@code warn} or worse: the audit's exit status 0. */
    public boolean ok() {
        return findings.stream().noneMatch(f -> f.severity().atLeast(Severity.WARN));
    }

    public List<Finding> withId(String checkId) {
        return findings.stream().filter(f -> f.checkId().equals(checkId)).toList();
    }

    public Map<Severity, Long> counts() {
        Map<Severity, Long> out = new TreeMap<>();
        for (Severity s : Severity.values()) {
            out.put(s, findings.stream().filter(f -> f.severity() == s).count());
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode().put("ok", ok()).put("deep", deep);
        ObjectNode summary = o.putObject("summary");
        counts().forEach((s, n) -> summary.put(s.wire(), n));
        ArrayNode list = o.putArray("findings");
        for (Finding f : findings) {
            list.addObject().put("checkId", f.checkId()).put("severity", f.severity().wire()).put("title", f.title())
                    .put("detail", f.detail()).put("fix", f.fix());
        }
        return o;
    }

    /** The human form: one block per finding, then a summary line. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append(String.format("%-8s %s  %s%n", f.severity().wire().toUpperCase(java.util.Locale.ROOT), f.checkId(), f.title()));
            if (!f.detail().isEmpty()) {
                b.append("         ").append(f.detail()).append('\n');
            }
            if (!f.fix().isEmpty()) {
                b.append("         fix: ").append(f.fix()).append('\n');
            }
        }
        Map<Severity, Long> c = counts();
        b.append(String.format("Summary: %d critical, %d warn, %d info%s%n", c.get(Severity.CRITICAL), c.get(Severity.WARN),
                c.get(Severity.INFO), deep ? " (deep)" : ""));
        return b.toString();
    }
}

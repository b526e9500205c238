package ai.clawbot.bench;

import java.util.ArrayList;
import java.util.List;

/** The final table: each figure beside its same-run baseline, their ratio, the target and the verdict. */
final class BenchReport {

    /** How a figure meets its target. */
    enum Goal { AT_MOST, AT_LEAST, NONE }

    /**
     * One line. {@code ratio} is value / baseline (above 1: the gateway costs more, or for throughput does
     * more); {@code unit} scales both for display.
     */
    record Row(String metric, double value, double baseline, String unit, Goal goal, double target) {

        boolean pass() {
            return switch (goal) {
                case AT_MOST -> value <= target;
                case AT_LEAST -> value >= target;
                case NONE -> true;
            };
        }

        String verdict() {
            return goal == Goal.NONE ? "info" : pass() ? "PASS" : "MISS";
        }

        String targetText() {
            return switch (goal) {
                case AT_MOST -> "<= " + fmt(target) + " " + unit;
                case AT_LEAST -> ">= " + fmt(target) + " " + unit;
                case NONE -> "-";
            };
        }

        String ratioText() {
            if (baseline == 0) {
                return value == 0 ? "=" : "-";
            }
            return String.format("x%.2f", value / baseline);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    BenchReport add(String metric, double value, double baseline, String unit, Goal goal, double target) {
        rows.add(new Row(metric, value, baseline, unit, goal, target));
        return this;
    }

    boolean allPass() {
        return rows.stream().allMatch(Row::pass);
    }

    void print() {
        String line = "-".repeat(118);
        System.out.println();
        System.out.println(line);
        System.out.printf("%-44s %14s %14s %8s %16s  %s%n", "metric", "gateway", "baseline", "ratio", "target", "result");
        System.out.println(line);
        for (Row r : rows) {
            System.out.printf("%-44s %14s %14s %8s %16s  %s%n", r.metric(), fmt(r.value()) + " " + r.unit(),
                    fmt(r.baseline()) + " " + r.unit(), r.ratioText(), r.targetText(), r.verdict());
        }
        System.out.println(line);
        long missed = rows.stream().filter(r -> !r.pass()).count();
        System.out.println(missed == 0 ? "All targets met." : missed + " target(s) missed.");
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (v == Math.rint(v)) {
            return String.format("%,.0f", v);
        }
        return a >= 100 ? String.format("%,.0f", v) : a >= 10 ? String.format("%.1f", v) : a >= 1 ? String.format("%.2f", v)
                : String.format("%.3f", v);
    }
}

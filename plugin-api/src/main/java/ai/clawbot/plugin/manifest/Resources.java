package ai.clawbot.plugin.manifest;

import java.time.Duration;
import java.util.Locale;

/**
 * Resource limits for one sandbox: memory ({@code 256m}, no swap), CPUs, process count, wall-clock
 * timeout per call ({@code 30s}, {@code 500ms}, {@code 2m}).
 */
public record Resources(String memory, Double cpus, Integer pids, String timeout) {

    public static final Resources DEFAULT = new Resources("256m", 1.0, 64, "30s");

    public Resources {
        memory = memory == null ? DEFAULT_MEMORY : memory;
        cpus = cpus == null ? 1.0 : cpus;
        pids = pids == null ? 64 : pids;
        timeout = timeout == null ? "30s" : timeout;
    }

    private static final String DEFAULT_MEMORY = "256m";

    public long memoryBytes() {
        String m = memory.trim().toLowerCase(Locale.ROOT);
        long unit = switch (m.charAt(m.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        String digits = Character.isDigit(m.charAt(m.length() - 1)) ? m : m.substring(0, m.length() - 1);
        return Long.parseLong(digits) * unit;
    }

    public Duration timeoutDuration() {
        String t = timeout.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            default -> throw new IllegalArgumentException("bad timeout: " + timeout);
        };
    }
}

package ai.clawbot.host.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Maps raw values to label values with a hard cap on how many distinct ones exist: past the cap, or
 * for a value of the wrong shape, the fallback is used. This keeps a metric's series count bounded
 * whatever the callers pass.
 */
final class BoundedLabels {

    private final int max;
    private final Pattern shape;
    private final String fallback;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedLabels(int max, Pattern shape, String fallback) {
        this.max = max;
        this.shape = shape;
        this.fallback = fallback;
    }

    String label(String raw) {
        if (raw == null || raw.equals(fallback) || !shape.matcher(raw).matches()) {
            return fallback;
        }
        if (seen.contains(raw)) {
            return raw;
        }
        synchronized (this) {
            if (seen.size() >= max && !seen.contains(raw)) {
                return fallback;
            }
            seen.add(raw);
            return raw;
        }
    }

    int size() {
        return seen.size();
    }
}

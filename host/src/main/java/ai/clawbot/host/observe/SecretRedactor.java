package ai.clawbot.host.observe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The secrets that must never reach a log line (the gateway token, values from the vault), and the
 * masking of them. Thread-safe: {@link #add} copies on write, {@link #redact} reads one volatile array,
 * so the hot path (every log line) takes no lock and, when no secret occurs, allocates nothing and
 * returns the same string.
 */
public final class SecretRedactor {

    /** What a secret is replaced by. */
    public static final String MASK = "***";
    /** Shorter strings are ignored: masking "true" or "1234" everywhere would ruin every log line. */
    public static final int MIN_LENGTH = 8;

    private volatile String[] secrets = new String[0]; // longest first

    private SecretRedactor() {
    }

    public static SecretRedactor create() {
        return new SecretRedactor();
    }

    /**
     * Registers a secret; null or shorter than {@link #MIN_LENGTH} is ignored. Its trimmed and its
     * URL-encoded forms are registered too, as a vault value may end in a newline and a token may
     * be logged inside a URL.
     */
    public void add(String secret) {
        if (secret == null) {
            return;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(secret.strip());
        forms.add(URLEncoder.encode(secret.strip(), StandardCharsets.UTF_8));
        forms.removeIf(s -> s.length() < MIN_LENGTH);
        if (forms.isEmpty()) {
            return;
        }
        synchronized (this) {
            Set<String> all = new LinkedHashSet<>(Arrays.asList(secrets));
            if (!all.addAll(forms)) {
                return;
            }
            // Longest first: the fast path then finds a long secret before a short one it contains.
            String[] next = all.toArray(String[]::new);
            Arrays.sort(next, Comparator.comparingInt(String::length).reversed());
            secrets = next;
        }
    }

    /** How many strings are masked (a secret's extra forms count separately). */
    public int size() {
        return secrets.length;
    }

    /** {@code text} with every occurrence of every secret replaced by {@link #MASK}; null stays null. */
    public String redact(String text) {
        return redact(text, Integer.MAX_VALUE);
    }

    /**
     * The redacted form of {@code text}'s first {@code maxChars} chars. A secret that straddles the cut
     * is still masked (matching looks past the cut), so cutting a long message before redacting it
     * cannot leak the head of a secret. This bounds the work on a huge message.
     */
    public String redact(String text, int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be >= 0, got " + maxChars);
        }
        if (text == null) {
            return null;
        }
        int end = Math.min(text.length(), maxChars);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // do not keep half a surrogate pair
        }
        String[] s = secrets;
        int longest = s.length == 0 ? 0 : s[0].length();
        int window = (int) Math.min(text.length(), (long) end + longest - 1);
        int first = firstMatching(s, text, window);
        if (first < 0) {
            return end == text.length() ? text : text.substring(0, end);
        }
        boolean[] masked = new boolean[window];
        for (int k = first; k < s.length; k++) {
            String secret = s[k];
            for (int i = text.indexOf(secret); i >= 0 && i + secret.length() <= window; i = text.indexOf(secret, i + 1)) {
                Arrays.fill(masked, i, i + secret.length(), true);
            }
        }
        StringBuilder b = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            if (!masked[i]) {
                b.append(text.charAt(i));
            } else if (i == 0 || !masked[i - 1]) {
                b.append(MASK); // one mask per run: overlapping or adjacent secrets merge
            }
        }
        return b.toString();
    }

    private static int firstMatching(String[] s, String text, int window) {
        for (int k = 0; k < s.length; k++) {
            if (s[k].length() <= window) {
                int i = text.indexOf(s[k]);
                if (i >= 0 && i + s[k].length() <= window) {
                    return k;
                }
                // A match past the window is irrelevant; a later one inside it is impossible (indexOf is leftmost).
            }
        }
        return -1;
    }
}

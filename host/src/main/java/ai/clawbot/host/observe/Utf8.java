package ai.clawbot.host.observe;

/** UTF-8 sizes without encoding: log lines are counted and cut in bytes, as a client receives them. */
final class Utf8 {

    private Utf8() {
    }

    /** The UTF-8 length of {@code s} (a lone surrogate counts 3, an upper bound). */
    static int length(CharSequence s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The longest prefix of {@code s} whose UTF-8 length is at most {@code maxBytes}; never splits a pair. */
    static String truncate(String s, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            int n;
            int width = 1;
            if (c < 0x80) {
                n = 1;
            } else if (c < 0x800) {
                n = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n = 4;
                width = 2;
            } else {
                n = 3;
            }
            if (bytes + n > maxBytes) {
                return s.substring(0, i);
            }
            bytes += n;
            i += width;
        }
        return s;
    }
}

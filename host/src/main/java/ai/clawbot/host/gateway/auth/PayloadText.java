package ai.clawbot.host.gateway.auth;

/** Text rules of OpenClaw's signed payload that Java does not have built in (JS {@code trim}, ASCII lower case). */
final class PayloadText {

    private PayloadText() {
    }

    /** {@code normalizeDeviceMetadataForAuth}: absent &rarr; "", JS-trimmed, only {@code A-Z} lower-cased. */
    static String metadata(String value) {
        if (value == null) {
            return "";
        }
        String trimmed = jsTrim(value);
        StringBuilder out = new StringBuilder(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }

    /** {@code String.prototype.trim}: strips ECMAScript WhiteSpace and LineTerminator, which {@code strip()} does not match. */
    static String jsTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean hasSeparator(String... fields) {
        for (String f : fields) {
            if (f != null && f.indexOf('|') >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJsSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u00A0', '\uFEFF', '\u2028', '\u2029' -> true;
            default -> Character.getType(c) == Character.SPACE_SEPARATOR;
        };
    }
}

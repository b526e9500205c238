package ai.clawbot.host.secrets;

import java.util.regex.Pattern;

/** Secret names: the same rule as the skill manifest schema's {@code permissions.secrets} items. */
public final class SecretNames {

    public static final String RULE = "[A-Za-z][A-Za-z0-9_.-]{0,63}";

    private static final Pattern NAME = Pattern.compile(RULE);

    private SecretNames() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns {@code name}, or throws when it could not be named by a manifest. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid secret name " + quoted(name) + ": it must match " + RULE);
        }
        return name;
    }

    /** A bad name shown in a message: shortened, control characters escaped, so it cannot garble a terminal. */
    private static String quoted(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        name.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(name.length() > 80 ? "…'" : "'").toString();
    }
}

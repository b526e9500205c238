package ai.clawbot.plugin.onepassword;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A 1Password secret reference, {@code op://vault/item[/section]/field[?attribute=otp]}: each part a name (spaces
 * allowed) or an id. It names where a secret is, never holds it, so it may appear in config, logs and errors.
 *
 * @param vault     the vault's name or id
 * @param item      the item's title or id
 * @param section   the section's label or id, or null for a field looked up across the item
 * @param field     the field's label or id
 * @param attribute what to read of the field: {@code value} (default), {@code otp} (the current TOTP code computed
 *                  from the field's secret), {@code type}, {@code id} or {@code label}
 */
public record SecretReference(String vault, String item, String section, String field, String attribute) {

    public static final String SCHEME = "op://";
    /** The attributes a reference may ask for ({@code totp} is read as {@code otp}). */
    public static final List<String> ATTRIBUTES = List.of("value", "otp", "type", "id", "label");
    private static final int MAX_LENGTH = 1024;
    private static final int MAX_PART = 256;
    /** A 1Password id: 26 characters of lower-case letters and digits. */
    private static final Pattern ID = Pattern.compile("[a-z0-9]{26}");

    public SecretReference {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(field, "field");
        attribute = attribute == null ? "value" : attribute;
    }

    /** Whether a configured value is meant as a reference (it starts with {@code op://}), well formed or not. */
    public static boolean looksLikeReference(String value) {
        return value != null && value.strip().regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses a reference.
     *
     * @throws SecretReferenceException saying what is wrong and what the form is; the message quotes the text
     *                                  only when it is a plausible reference (a reference is not a secret)
     */
    public static SecretReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SecretReferenceException("a secret reference is empty; write op://vault/item[/section]/field");
        }
        String s = text.strip();
        if (s.length() > MAX_LENGTH) {
            throw new SecretReferenceException("a secret reference is longer than " + MAX_LENGTH + " characters");
        }
        if (!s.startsWith(SCHEME)) {
            throw new SecretReferenceException("a secret reference starts with op:// (got '"
                    + (looksLikeReference(s) ? s : "<" + s.length() + " characters>") + "')");
        }
        String attribute = "value";
        String path = s.substring(SCHEME.length());
        int q = path.indexOf('?');
        if (q >= 0) {
            attribute = attribute(path.substring(q + 1), s);
            path = path.substring(0, q);
        }
        List<String> parts = split(path);
        if (parts.size() < 3 || parts.size() > 4) {
            throw new SecretReferenceException("'" + s + "' has " + parts.size() + " part" + (parts.size() == 1 ? "" : "s")
                    + "; a reference is op://vault/item/field or op://vault/item/section/field");
        }
        for (String p : parts) {
            check(p, s);
        }
        return parts.size() == 3
                ? new SecretReference(parts.get(0), parts.get(1), null, parts.get(2), attribute)
                : new SecretReference(parts.get(0), parts.get(1), parts.get(2), parts.get(3), attribute);
    }

    /** Whether a part is written as a 1Password id rather than a name. */
    public static boolean isId(String part) {
        return part != null && ID.matcher(part).matches();
    }

    public Optional<String> sectionIfSet() {
        return Optional.ofNullable(section);
    }

    public boolean wantsOtp() {
        return "otp".equals(attribute);
    }

    /** The canonical text: {@code op://vault/item[/section]/field[?attribute=…]}. */
    @Override
    public String toString() {
        return SCHEME + vault + "/" + item + (section == null ? "" : "/" + section) + "/" + field
                + ("value".equals(attribute) ? "" : "?attribute=" + attribute);
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    private static void check(String part, String whole) {
        if (part.isEmpty()) {
            throw new SecretReferenceException("'" + whole + "' has an empty part (two slashes in a row, or a slash at an end)");
        }
        if (!part.equals(part.strip())) {
            throw new SecretReferenceException("'" + whole + "': part '" + part + "' starts or ends with white space");
        }
        if (part.length() > MAX_PART) {
            throw new SecretReferenceException("'" + whole + "': a part is longer than " + MAX_PART + " characters");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (Character.isISOControl(c) || c == '"' || c == '\\' || c == '{' || c == '}') {
                throw new SecretReferenceException("'" + whole.replaceAll("\\p{Cntrl}", "?") + "': part '"
                        + part.replaceAll("\\p{Cntrl}", "?") + "' holds a character a reference cannot carry ("
                        + (Character.isISOControl(c) ? "a control character" : "'" + c + "'")
                        + "); refer to it by its id instead");
            }
        }
    }

    private static String attribute(String query, String whole) {
        String[] kv = query.split("=", 2);
        if (kv.length != 2 || !kv[0].equals("attribute")) {
            throw new SecretReferenceException("'" + whole + "': the only query a reference takes is ?attribute="
                    + String.join("|", ATTRIBUTES));
        }
        String a = kv[1].toLowerCase(Locale.ROOT);
        if (a.equals("totp")) {
            a = "otp";
        }
        if (!ATTRIBUTES.contains(a)) {
            throw new SecretReferenceException("'" + whole + "': unknown attribute '" + kv[1] + "' (one of "
                    + String.join(", ", ATTRIBUTES) + ")");
        }
        return a;
    }
}

package ai.clawbot.manifests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A setting whose value is a credential ({@code format: secret-ref} in a manifest's {@code settings:} schema, e.g.
 * mcporter's HTTP headers) is written as where the secret is, never as the secret: a whole {@code op://vault/item/field}
 * reference, or text with placeholders {@code ${secret:NAME}} (a vault secret) and {@code ${op://…}} (1Password),
 * e.g. {@code "Bearer ${secret:MCP_TOKEN}"}. Anything else is a literal and refused. The host resolves the
 * placeholders when it starts the skill's container; this class only knows the syntax.
 */
public final class SecretTemplate {

    /** The format name a settings schema marks such a string with. */
    public static final String FORMAT = "secret-ref";

    /** The problem reported for a literal, without the value (it may be the secret). */
    public static final String LITERAL = "is a literal credential; it must come from the vault (\"${secret:NAME}\", "
            + "e.g. \"Bearer ${secret:MCP_TOKEN}\", after claw secrets set NAME) or 1Password (\"op://vault/item/field\" "
            + "or \"Bearer ${op://vault/item/field}\"), never be written in clear in openclaw.json";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(?:secret:([A-Za-z][A-Za-z0-9_.-]{0,63})|(op://[^}]+))}");

    /** One placeholder: a vault secret name or a 1Password reference. */
    public sealed interface Part {
        /** Text kept as written (a prefix such as {@code "Bearer "}). */
        record Text(String text) implements Part {
        }

        /** {@code ${secret:NAME}}: the vault secret NAME. */
        record VaultSecret(String name) implements Part {
        }

        /** {@code op://…} (whole value) or {@code ${op://…}}. */
        record OnePassword(String reference) implements Part {
        }
    }

    private SecretTemplate() {
    }

    /** Whether {@code value} names its secret (a reference or at least one placeholder) rather than holding it. */
    public static boolean isReference(String value) {
        return value != null && !parts(value).stream().allMatch(p -> p instanceof Part.Text);
    }

    /** The value's parts in order; a value without references is one {@link Part.Text}. */
    public static List<Part> parts(String value) {
        String v = value.strip();
        if (v.startsWith("op://") && !v.contains("${")) {
            return List.of(new Part.OnePassword(v));
        }
        List<Part> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(value);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                out.add(new Part.Text(value.substring(at, m.start())));
            }
            out.add(m.group(1) != null ? new Part.VaultSecret(m.group(1)) : new Part.OnePassword(m.group(2).strip()));
            at = m.end();
        }
        if (at < value.length()) {
            out.add(new Part.Text(value.substring(at)));
        }
        return out;
    }
}

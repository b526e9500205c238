package ai.clawbot.host.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The exact grammar of skill ids, tool names and policy patterns. Matching is byte-for-byte on ASCII: no
 * trimming, no case folding, no Unicode normalisation, so "OBSIDIAN.read", "obsidian.read " or a Cyrillic
 * look-alike is simply not a name and can neither match an allow nor dodge a deny.
 */
public final class PolicyNames {

    /** The manifest schema's {@code id} rule. */
    public static final String SKILL_ID = "[a-z][a-z0-9-]{1,39}";
    /** The manifest schema's {@code tools[].name} rule. */
    public static final String TOOL_NAME = "[a-z][a-z0-9_]{0,63}";

    private static final Pattern SKILL = Pattern.compile(SKILL_ID);
    private static final Pattern TOOL = Pattern.compile(TOOL_NAME);
    private static final int SHOWN = 80;

    private PolicyNames() {
    }

    public static boolean isSkillId(String s) {
        return s != null && SKILL.matcher(s).matches();
    }

    public static boolean isToolName(String s) {
        return s != null && TOOL.matcher(s).matches();
    }

    /** {@code *} or a skill id. */
    public static boolean isSkillPattern(String p) {
        return "*".equals(p) || isSkillId(p);
    }

    /** {@code *}, {@code skill.*} or {@code skill.tool}. */
    public static boolean isToolPattern(String p) {
        if ("*".equals(p)) {
            return true;
        }
        if (p == null) {
            return false;
        }
        int dot = p.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String tail = p.substring(dot + 1);
        return isSkillId(p.substring(0, dot)) && ("*".equals(tail) || isToolName(tail));
    }

    /**
     * Whether a validated pattern covers {@code name} ({@code skill} or {@code skill.tool}). The name is
     * matched literally, so a requested name that itself contains {@code *} matches only {@code *}.
     */
    static boolean matches(String pattern, String name) {
        if ("*".equals(pattern)) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return name.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(name);
    }

    public static String qualified(String skill, String tool) {
        return skill + "." + tool;
    }

    /** Splits {@code skill.tool} when both parts are valid names; empty for anything else. */
    public static Optional<String[]> parseQualified(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String skill = name.substring(0, dot);
        String tool = name.substring(dot + 1);
        return isSkillId(skill) && isToolName(tool) ? Optional.of(new String[] {skill, tool}) : Optional.empty();
    }

    /**
     * A name for a message: quoted, shortened, anything outside printable ASCII shown as {@code \}{@code uXXXX}
     * so a look-alike or an invisible character is visible to the operator and the model.
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(s.length(), SHOWN);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append(s.length() > SHOWN ? "…'" : "'").toString();
    }
}

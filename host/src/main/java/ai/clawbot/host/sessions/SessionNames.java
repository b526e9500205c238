package ai.clawbot.host.sessions;

import java.util.regex.Pattern;

/**
 * The names that reach the file system. Agent ids and session ids become path segments, so they are held to
 * a strict pattern; session keys only live inside JSON, so they need only be printable and bounded.
 */
final class SessionNames {

    static final int MAX_SESSION_KEY_LENGTH = 200;
    private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    // Our ids are UUIDs; OpenClaw's are too. Anything read from disk that is not a plain name is refused as a path.
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private SessionNames() {
    }

    static String requireAgentId(String agentId) {
        if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("invalid agent id " + quote(agentId)
                    + ": use 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return agentId;
    }

    static boolean isAgentId(String s) {
        return s != null && AGENT_ID.matcher(s).matches();
    }

    static String requireSessionKey(String sessionKey) {
        String why = sessionKeyProblem(sessionKey);
        if (why != null) {
            throw new IllegalArgumentException("invalid session key: " + why);
        }
        return sessionKey;
    }

    static boolean isSessionKey(String s) {
        return sessionKeyProblem(s) == null;
    }

    static boolean isSessionId(String s) {
        return s != null && SESSION_ID.matcher(s).matches();
    }

    private static String sessionKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "it is empty";
        }
        if (key.length() > MAX_SESSION_KEY_LENGTH) {
            return "it has " + key.length() + " characters; the limit is " + MAX_SESSION_KEY_LENGTH;
        }
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            if (Character.isISOControl(cp)) {
                return "it holds a control character (U+" + String.format("%04X", cp) + ") at index " + i;
            }
            // codePointAt returns a lone surrogate as itself: half a character, which no real key holds.
            if (Character.isSurrogate((char) cp) && cp <= Character.MAX_VALUE) {
                return "it holds an unpaired surrogate at index " + i;
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String quote(String s) {
        if (s == null) {
            return "(none)";
        }
        // Shown in errors and logs: keep it short and free of control characters.
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}

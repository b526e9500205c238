package ai.clawbot.host.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The gateway token: short, a well-known placeholder, or made of few distinct characters. */
record TokenCheck() implements AuditCheck {

    static final String TOO_SHORT = "gateway.token_too_short";
    static final String PLACEHOLDER = "gateway.token_placeholder_value";
    static final String LOW_ENTROPY = "gateway.token_low_entropy";
    /** Reported (info) before the first start, when there is no token yet. */
    static final String NONE_YET = "gateway.token_not_generated";
    /** A generated token is 43 characters (32 random bytes); 24 is the least a person should pick. */
    static final int MIN_LENGTH = 24;
    private static final Set<String> PLACEHOLDERS = Set.of("changeme", "change-me", "change_me", "openclaw", "clawbot",
            "password", "secret", "token", "admin", "default", "test", "example", "letmein", "gateway");

    @Override
    public List<Finding> run(AuditContext c) {
        String fromEnv = c.env().get("OPENCLAW_GATEWAY_TOKEN");
        boolean env = fromEnv != null && !fromEnv.isBlank();
        String token = env ? fromEnv : c.config().path("gateway").path("auth").path("token").asText(null);
        String where = env ? "OPENCLAW_GATEWAY_TOKEN" : "gateway.auth.token";
        if (token == null) {
            return List.of(Finding.info(NONE_YET, "no gateway token yet",
                    "the first gateway start generates a random 43-character token and saves it to " + c.state().configFile()));
        }
        Weakness why = weakness(token);
        if (why == null) {
            return List.of();
        }
        return List.of(Finding.warn(why.checkId(), "the gateway token is weak", where + " " + why.reason(),
                "remove " + where + " and restart: the gateway generates a random token (or set one of 32+ random"
                        + " characters: openssl rand -base64 32)"));
    }

    /** Why a token is weak, under which check id; the reason never shows the token. */
    record Weakness(String checkId, String reason) {
    }

    static Weakness weakness(String token) {
        if (token.length() < MIN_LENGTH) {
            return new Weakness(TOO_SHORT, "is " + token.length() + " characters, under " + MIN_LENGTH);
        }
        String lower = token.toLowerCase(Locale.ROOT);
        for (String p : PLACEHOLDERS) {
            if (lower.contains(p)) {
                return new Weakness(PLACEHOLDER, "contains the well-known word '" + p + "'");
            }
        }
        if (token.chars().distinct().count() < 10) {
            return new Weakness(LOW_ENTROPY, "uses fewer than 10 distinct characters");
        }
        return null;
    }
}

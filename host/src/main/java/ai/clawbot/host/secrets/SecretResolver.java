package ai.clawbot.host.secrets;

import ai.clawbot.plugin.onepassword.SecretReference;

/**
 * Turns a configured credential into the value to use at the moment of use: the text itself, or, for an
 * {@code op://vault/item[/section]/field} reference, what 1Password holds there. Every place the gateway takes a
 * secret from config goes through one of these ({@code models.providers.*.apiKey}, a skill's vault secrets, and
 * other skills' config such as MCP server headers), so a reference works anywhere and is resolved in one place.
 */
@FunctionalInterface
public interface SecretResolver {

    /**
     * The value of {@code configured}: itself when it is not a reference, else the referenced value.
     *
     * @param where what the value is for, e.g. {@code models.providers.openai.apiKey}; named in errors
     * @throws SecretsException ({@link SecretsException.Kind#REFERENCE}) naming {@code where}, the reference and the
     *                          cause; never the value or the Connect token
     */
    String resolve(String configured, String where) throws SecretsException;

    /** Whether a configured value is an {@code op://} reference (resolved at use, never stored as a value). */
    static boolean isReference(String configured) {
        return SecretReference.looksLikeReference(configured);
    }

    /** Passes plain values through and refuses references (no 1Password Connect is configured). */
    static SecretResolver literalOnly() {
        return (configured, where) -> {
            if (isReference(configured)) {
                throw new SecretsException(SecretsException.Kind.REFERENCE, where + " is a 1Password reference ("
                        + configured.strip() + ") but no Connect server is configured: set "
                        + OnePasswordSecrets.URL_PATH + " and claw secrets set " + OnePasswordSecrets.TOKEN_SECRET);
            }
            return configured;
        };
    }
}

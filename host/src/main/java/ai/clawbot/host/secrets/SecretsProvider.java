package ai.clawbot.host.secrets;

import java.util.Collection;
import java.util.Map;

/**
 * Where the host gets the secret values a skill's manifest names. The answer holds exactly the names asked
 * for: a name that cannot be resolved fails the whole call, so a skill never starts with a secret silently
 * missing.
 */
public interface SecretsProvider {

    /**
     * The values of {@code names}, by name. The caller owns the arrays and should zero them once used.
     *
     * @throws SecretsException when a name is missing or a value cannot be read; the message never holds a value
     * @throws IllegalArgumentException when a name is not a valid secret name
     */
    Map<String, byte[]> resolve(Collection<String> names) throws SecretsException;

    /**
     * The value an {@code op://} reference written in config stands for ({@code where} names the setting in errors);
     * a provider without 1Password Connect refuses it.
     */
    default String reference(String reference, String where) throws SecretsException {
        return SecretResolver.literalOnly().resolve(reference, where);
    }
}

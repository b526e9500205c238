package ai.clawbot.host.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vault as skills see it: a stored value that is an {@code op://} reference is resolved at dispatch, so the
 * file a skill's container gets holds the referenced value and the vault holds only where it is.
 */
public record ReferenceResolvingVault(SecretsProvider vault, SecretResolver references) implements SecretsProvider {

    @Override
    public String reference(String reference, String where) throws SecretsException {
        return references.resolve(reference, where);
    }

    @Override
    public Map<String, byte[]> resolve(Collection<String> names) throws SecretsException {
        Map<String, byte[]> stored = vault.resolve(names);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, byte[]> e : stored.entrySet()) {
                String text = new String(e.getValue(), StandardCharsets.UTF_8);
                if (SecretResolver.isReference(text) && !e.getKey().equals(OnePasswordSecrets.TOKEN_SECRET)) {
                    out.put(e.getKey(), references.resolve(text, "vault secret " + e.getKey())
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    out.put(e.getKey(), e.getValue().clone());
                }
            }
            return out;
        } catch (SecretsException e) {
            out.values().forEach(v -> Arrays.fill(v, (byte) 0));
            throw e;
        } finally {
            stored.values().forEach(v -> Arrays.fill(v, (byte) 0));
        }
    }
}

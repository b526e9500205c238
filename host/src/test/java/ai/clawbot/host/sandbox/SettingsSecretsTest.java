package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.secrets.SecretsException;
import ai.clawbot.host.secrets.SecretsProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code format: secret-ref} settings resolved at container start: vault placeholders and 1Password references
 * become one JSON file keyed by JSON Pointer; a missing secret or a failed reference names the setting and the
 * reference, never a value; settings without secret-refs add no file.
 */
class SettingsSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCHEMA = """
            {"type": "object", "properties": {
              "plain": {"type": "string"},
              "mcpServers": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                "headers": {"type": "object", "additionalProperties": {"type": "string", "format": "secret-ref"}}}}}}}
            """;

    /** A vault of two secrets; op:// references resolve from a map, others fail like a missing item. */
    private static final SecretsProvider SECRETS = new SecretsProvider() {
        @Override
        public Map<String, byte[]> resolve(Collection<String> names) throws SecretsException {
            Map<String, String> vault = Map.of("MCP_TOKEN", "vault-value", "USER", "ada");
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String n : names) {
                if (!vault.containsKey(n)) {
                    throw new SecretsException(SecretsException.Kind.MISSING, "no secret named " + n);
                }
                out.put(n, vault.get(n).getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public String reference(String reference, String where) throws SecretsException {
            if (reference.equals("op://Private/Tools MCP/credential")) {
                return "op-value";
            }
            throw new SecretsException(SecretsException.Kind.REFERENCE, where + ": " + reference + ": no such item");
        }
    };

    private static Optional<byte[]> resolve(String settings) throws Exception {
        return SettingsSecrets.resolve(Optional.of(JSON.readTree(SCHEMA)), JSON.readTree(settings),
                "plugins.entries.mcporter.config", SECRETS);
    }

    @Test
    void vaultPlaceholdersAndOnePasswordReferencesBecomeOneFileByPointer() throws Exception {
        JsonNode file = JSON.readTree(resolve("""
                {"plain": "op://not/a/secret-ref/here", "mcpServers": {"a/b": {"headers": {
                  "Authorization": "Bearer ${secret:MCP_TOKEN}", "X-Key": "op://Private/Tools MCP/credential",
                  "X-Both": "${secret:USER}:${op://Private/Tools MCP/credential}"}}}}
                """).orElseThrow());
        assertThat(file.path("/mcpServers/a~1b/headers/Authorization").asText()).isEqualTo("Bearer vault-value");
        assertThat(file.path("/mcpServers/a~1b/headers/X-Key").asText()).isEqualTo("op-value");
        assertThat(file.path("/mcpServers/a~1b/headers/X-Both").asText()).isEqualTo("ada:op-value");
        assertThat(file.size()).isEqualTo(3);
    }

    @Test
    void settingsWithoutSecretRefsAddNoFile() throws Exception {
        assertThat(resolve("{\"plain\": \"x\", \"mcpServers\": {\"s\": {}}}")).isEmpty();
        assertThat(SettingsSecrets.resolve(Optional.empty(), JSON.readTree("{}"), "x", SECRETS)).isEmpty();
    }

    @Test
    void aMissingSecretOrAFailedReferenceNamesTheSettingNotAValue() {
        assertThatThrownBy(() -> resolve("{\"mcpServers\": {\"s\": {\"headers\": {\"Authorization\": \"Bearer ${secret:NOPE}\"}}}}"))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("plugins.entries.mcporter.config.mcpServers.s.headers.Authorization")
                .hasMessageContaining("NOPE").hasMessageNotContaining("vault-value");
        assertThatThrownBy(() -> resolve("{\"mcpServers\": {\"s\": {\"headers\": {\"K\": \"op://Private/Gone/credential\"}}}}"))
                .isInstanceOf(SecretsException.class)
                .hasMessageContaining("plugins.entries.mcporter.config.mcpServers.s.headers.K")
                .hasMessageContaining("op://Private/Gone/credential");
    }
}

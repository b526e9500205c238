package ai.clawbot.host.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code claw secrets} finds op:// references written whole and as {@code ${op://…}} placeholders in MCP headers. */
class SecretReferencesTest {

    @Test
    void wholeReferencesAndHeaderPlaceholdersAreFoundWithTheirPaths() throws Exception {
        var config = new ObjectMapper().readTree("""
                {"models": {"providers": {"openai": {"apiKey": "op://Private/OpenAI/credential"}}},
                 "plugins": {"entries": {"mcporter": {"config": {"mcpServers": {"tools": {"headers": {
                   "Authorization": "Bearer ${op://Private/Tools MCP/credential}", "X-User": "${secret:USER}",
                   "X-Key": "op://Private/Tools MCP/key"}}}}}}}}
                """);
        assertThat(SecretReferences.inConfig(config)).containsExactly(
                new SecretReferences.Found("models.providers.openai.apiKey", "op://Private/OpenAI/credential"),
                new SecretReferences.Found("plugins.entries.mcporter.config.mcpServers.tools.headers.Authorization",
                        "op://Private/Tools MCP/credential"),
                new SecretReferences.Found("plugins.entries.mcporter.config.mcpServers.tools.headers.X-Key",
                        "op://Private/Tools MCP/key"));
    }
}

package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Each HTTP endpoint's switch reads its own {@code gateway.http.endpoints.<name>.enabled} and no other; the 404 an
 * endpoint that is off sends is covered over real HTTP by {@code OpenAiCompatibleChatCompletionsTest} and
 * {@code McpEndpointAuthTest}.
 */
class EndpointSwitchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static GatewaySettings settings(String json) throws Exception {
        return GatewaySettings.from(JSON.readTree(json));
    }

    @Test
    void eachEndpointIsOffUnlessItsOwnKeyIsTrue() throws Exception {
        GatewaySettings none = settings("{}");
        GatewaySettings mcpOnly = settings("""
                {"gateway": {"http": {"endpoints": {"mcp": {"enabled": true}, "chatCompletions": {"enabled": false}}}}}""");
        GatewaySettings chatOnly = settings("""
                {"gateway": {"http": {"endpoints": {"chatCompletions": {"enabled": true}, "mcp": {}}}}}""");

        for (EndpointSwitch s : new EndpointSwitch[] {McpEndpoint.SWITCH, OpenAiChatEndpoint.SWITCH}) {
            assertThat(none.endpointEnabled(s.name())).as(s.name() + " by default").isFalse();
        }
        assertThat(mcpOnly.endpointEnabled(McpEndpoint.SWITCH.name())).isTrue();
        assertThat(mcpOnly.endpointEnabled(OpenAiChatEndpoint.SWITCH.name())).isFalse();
        assertThat(chatOnly.endpointEnabled(OpenAiChatEndpoint.SWITCH.name())).isTrue();
        assertThat(chatOnly.endpointEnabled(McpEndpoint.SWITCH.name())).isFalse();
    }

    @Test
    void theKeyToSetIsTheOneTheSettingsRead() {
        assertThat(McpEndpoint.SWITCH.key()).isEqualTo("gateway.http.endpoints.mcp.enabled");
        assertThat(OpenAiChatEndpoint.SWITCH.key()).isEqualTo("gateway.http.endpoints.chatCompletions.enabled");
    }
}

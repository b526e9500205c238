package ai.clawbot.host.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code agents.defaults.model} and an agent's {@code model}, each a string or OpenClaw's {@code {primary, fallbacks}}. */
class AgentModelChoiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAgentsOwnModelWinsWithItsOwnFallbacks() throws Exception {
        AgentRegistry r = AgentRegistry.fromConfig(JSON.readTree("""
                {"list": [{"id": "a", "model": {"primary": "p/one", "fallbacks": ["p/two"]}}, {"id": "b", "model": "p/three"}]}
                """));
        JsonNode defaults = JSON.readTree("{\"model\": {\"primary\": \"d/main\", \"fallbacks\": [\"d/backup\"]}}");
        assertThat(AgentModelChoice.of(r.find("a").orElseThrow(), defaults)).isEqualTo(new AgentModelChoice("p/one", List.of("p/two")));
        assertThat(AgentModelChoice.of(r.find("b").orElseThrow(), defaults)).isEqualTo(new AgentModelChoice("p/three", List.of()));
    }

    @Test
    void anAgentWithoutAModelTakesTheDefaultsInEitherForm() throws Exception {
        AgentDefinition builtIn = AgentRegistry.builtIn().defaultAgent();
        assertThat(AgentModelChoice.of(builtIn, JSON.readTree("{\"model\": {\"primary\": \"d/main\", \"fallbacks\": [\"d/backup\"]}}")))
                .isEqualTo(new AgentModelChoice("d/main", List.of("d/backup")));
        assertThat(AgentModelChoice.of(builtIn, JSON.readTree("{\"model\": \"d/only\"}")))
                .isEqualTo(new AgentModelChoice("d/only", List.of()));
        assertThat(AgentModelChoice.of(builtIn, JSON.readTree("{}"))).isEqualTo(new AgentModelChoice(null, List.of()));
    }
}

package ai.clawbot.host.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionKeysTest {

    @Test
    void aBareKeyBelongsToTheGivenAgentAndAFullOneNamesItsOwn() {
        assertThat(SessionKeys.resolve("main", "ops")).isEqualTo(new SessionKeys.Resolved("ops", "agent:ops:main"));
        assertThat(SessionKeys.resolve("agent:coder:x", "ops")).isEqualTo(new SessionKeys.Resolved("coder", "agent:coder:x"));
        assertThatThrownBy(() -> SessionKeys.resolve("agent:ops:", "ops")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKeys.resolve("agent::x", "ops")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKeys.resolve(" ", "ops")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A door serving one agent per request: another agent's session is out of reach, whatever the spelling. */
    @Test
    void ofAgentKeepsARequestInsideItsAgentsSessions() {
        assertThat(SessionKeys.ofAgent("room", "ops")).isEqualTo("agent:ops:room");
        assertThat(SessionKeys.ofAgent("agent:ops:room", "ops")).isEqualTo("agent:ops:room");
        assertThatThrownBy(() -> SessionKeys.ofAgent("agent:coder:main", "ops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to agent 'coder', not to 'ops'");
        assertThatThrownBy(() -> SessionKeys.ofAgent("agent:opsx:main", "ops")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKeys.ofAgent("agent:ops:", "ops")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SessionKeys.ofAgent("x".repeat(SessionKeys.MAX_LENGTH - "agent:ops:".length()), "ops")).hasSize(SessionKeys.MAX_LENGTH);
        assertThatThrownBy(() -> SessionKeys.ofAgent("x".repeat(SessionKeys.MAX_LENGTH), "ops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over 200 characters");
    }
}

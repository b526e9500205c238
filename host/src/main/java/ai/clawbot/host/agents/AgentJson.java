package ai.clawbot.host.agents;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON mapper of this package. */
final class AgentJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private AgentJson() {
    }
}

package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a broken {@code openclaw.json} does to a gateway start: it runs on the last-known-good copy and says so
 * (status, config.get), or, without a good copy, refuses to start naming the file and the exact problem. Never
 * half a config: the agent the broken edit added is not there.
 */
class ConfigStartupTest {

    @TempDir
    Path state;

    @Test
    void aBrokenEditStartsOnTheLastKnownGoodCopyAndSaysSo() throws Exception {
        Path file = state.resolve("openclaw.json");
        Files.writeString(file, "{\"agents\":{\"list\":[{\"id\":\"scribe\",\"default\":true}]}}");
        try (Gateway g = TestGateway.start(state, SandboxObserver.NONE)) {
            assertThat(state.resolve("openclaw.json.last-good")).exists();
        }
        String broken = "{\"agents\":{\"list\":[{\"id\":\"scribe\",\"default\":true},{\"id\":\"extra\"}]},\"gateway\":{\"port\":70000}}";
        Files.writeString(file, broken);
        try (Gateway g = TestGateway.start(state, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode status = c.request("status").path("payload");
            assertThat(status.at("/config/lastKnownGood").asBoolean()).as(status.toString()).isTrue();
            assertThat(status.at("/config/problem").asText()).contains("$.gateway.port");
            JsonNode agents = c.request("agents.list").path("payload").path("agents");
            assertThat(agents.findValuesAsText("id")).containsExactly("scribe");
            JsonNode config = c.request("config.get").path("payload");
            assertThat(config.path("valid").asBoolean()).isFalse();
        }
        assertThat(Files.readString(file)).as("the operator's broken file is left for them to fix").isEqualTo(broken);
    }

    @Test
    void withoutAGoodCopyABrokenFileRefusesToStartNamingTheProblem() throws Exception {
        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"tickIntervalMs\": 10}}");
        assertThatThrownBy(() -> TestGateway.start(state, SandboxObserver.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot start")
                .hasMessageContaining("openclaw.json")
                .hasMessageContaining("$.gateway.tickIntervalMs");

        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"port\": 1,,}}");
        assertThatThrownBy(() -> TestGateway.start(state, SandboxObserver.NONE))
                .hasMessageContaining("line 1");
    }
}

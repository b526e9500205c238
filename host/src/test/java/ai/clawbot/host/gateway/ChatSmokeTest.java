package ai.clawbot.host.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatSmokeTest {

    @TempDir
    Path dir;

    @Test
    void sendStreamsAndPersists() throws Exception {
        try (Gateway g = TestGateway.start(dir, SandboxObserver.NONE);
             ProtocolClient c = ProtocolClient.connect(g.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode ack = c.request("chat.send", ProtocolClient.params().put("sessionKey", "main").put("message", "hi there")
                    .put("idempotencyKey", "k1"));
            System.out.println(ack);
            JsonNode e;
            while ((e = c.nextEvent(Duration.ofSeconds(3))) != null) {
                System.out.println(e);
                if (e.path("payload").path("state").asText().equals("final")) {
                    break;
                }
            }
            System.out.println(c.request("chat.send", ProtocolClient.params().put("sessionKey", "main").put("message", "hi there")
                    .put("idempotencyKey", "k1")));
            System.out.println(c.request("chat.history", ProtocolClient.params().put("sessionKey", "main")));
            System.out.println(c.request("sessions.list"));
            System.out.println(c.request("status"));
            System.out.println(c.request("agents.list"));
            System.out.println(c.request("config.get"));
            System.out.println(c.request("logs.tail", ProtocolClient.params().put("limit", 5)));
            assertThat(ack.path("ok").asBoolean()).isTrue();
        }
    }
}

package ai.clawbot.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The scripted model over real HTTP: a tool call first, then an answer read from the tool result; every request timed. */
class LocalModelServerTest {

    private static String post(LocalModelServer server, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.v1Url() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void callsTheToolThenAnswersWithTheNoteItFoundInTheResult() throws Exception {
        try (LocalModelServer server = LocalModelServer.start(ToolCallingModel.calling("c1", "notes__search", "{\"q\":\"fog\"}"))) {
            String first = post(server, "{\"messages\":[{\"role\":\"user\",\"content\":\"find fog\"}]}");
            String second = post(server, "{\"messages\":[{\"role\":\"user\",\"content\":\"find fog\"},"
                    + "{\"role\":\"tool\",\"content\":\"Coast/Fog.md (2)\\n1: fog\"}]}");

            assertThat(first).contains("\"id\":\"c1\"", "\"name\":\"notes__search\"", "\"finish_reason\":\"tool_calls\"")
                    .contains("\"arguments\":\"{\\\"q\\\"").endsWith("data: [DONE]\n\n");
            assertThat(second).contains("Found: ", "Coast/Fog.md", "\"finish_reason\":\"stop\"");
            assertThat(server.received()).extracting(LocalModelServer.Received::path)
                    .containsExactly("/v1/chat/completions", "/v1/chat/completions");
            assertThat(server.drain(2)).hasSize(2).allMatch(s -> s.nanos() > 0);
        }
    }

    @Test
    void withATriggerOnlyMarkedMessagesCallTheTool() throws Exception {
        try (LocalModelServer server = LocalModelServer.start(ToolCallingModel.calling("c1", "f", "{}").onlyWhenAskedWith("[tool]"))) {
            assertThat(post(server, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .contains("Hello ", "from the ", "test model.").doesNotContain("tool_calls");
            assertThat(post(server, "{\"messages\":[{\"role\":\"user\",\"content\":\"[tool] hi\"}]}")).contains("tool_calls");
        }
    }
}

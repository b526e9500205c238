package ai.clawbot.host.gateway;

import ai.clawbot.host.config.StateDir;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The microphone's upload endpoint under attack, without Docker: no or a wrong token is 401 (and counts towards the
 * lockout), a body over 25 MB is 413 before it is read, an empty one 400; a clip for a speech skill that is not
 * installed is refused by the tool gate (404 UNKNOWN_SKILL) and leaves no file in the workspace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VoiceEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Path state;
    private Gateway gateway;
    private URI uri;

    @BeforeAll
    void start() throws Exception {
        state = Files.createTempDirectory("claw-voice-endpoint");
        Files.writeString(state.resolve("openclaw.json"), """
                {"gateway": {"auth": {"rateLimit": {"maxAttempts": 100}}, "controlUi": {"voice": {"skill": "not-installed"}}}}""");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
        uri = URI.create("http://127.0.0.1:" + gateway.port() + "/api/voice/transcribe?sessionKey=agent%3Adefault%3Amain");
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
        TestGateway.deleteTree(state);
    }

    private HttpResponse<String> post(String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).at("/error/code").asText();
    }

    @Test
    void withoutTheTokenNothingIsAccepted() throws Exception {
        HttpResponse<String> none = post(null, new byte[]{1, 2, 3});
        assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
        HttpResponse<String> wrong = post("not-the-token", new byte[]{1, 2, 3});
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(TestGateway.TOKEN);
    }

    @Test
    void oversizeAndEmptyClipsAreRefused() throws Exception {
        HttpResponse<String> big = post(TestGateway.TOKEN, new byte[25 * 1024 * 1024 + 1]);
        assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
        assertThat(code(big)).isEqualTo("TOO_LARGE");
        HttpResponse<String> empty = post(TestGateway.TOKEN, new byte[0]);
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(code(empty)).isEqualTo("EMPTY_AUDIO");
    }

    @Test
    void aVoiceFolderLinkedOutOfTheWorkspaceIsNeverWrittenThrough() throws Exception {
        Path outside = Files.createTempDirectory("claw-voice-outside");
        Path voice = new StateDir(state).workspace().resolve(".voice");
        try {
            Files.createDirectories(voice.getParent());
            TestGateway.deleteTree(voice); // another test's real .voice folder
            Files.createSymbolicLink(voice, outside);
            HttpResponse<String> r = post(TestGateway.TOKEN, "RIFF....WAVE".getBytes());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            assertThat(code(r)).isEqualTo("VOICE_FOLDER_LINK");
            try (Stream<Path> written = Files.list(outside)) {
                assertThat(written).isEmpty();
            }
        } finally {
            Files.deleteIfExists(voice);
            TestGateway.deleteTree(outside);
        }
    }

    @Test
    void theConfiguredSkillGoesThroughTheGateAndTheClipIsRemoved() throws Exception {
        HttpResponse<String> r = post(TestGateway.TOKEN, "RIFF....WAVE".getBytes());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/error/code").asText()).isEqualTo("UNKNOWN_SKILL");
        assertThat(body.at("/error/message").asText()).contains("not-installed");
        Path voice = new StateDir(state).workspace().resolve(".voice");
        try (Stream<Path> left = Files.exists(voice) ? Files.list(voice) : Stream.empty()) {
            assertThat(left).isEmpty();
        }
    }
}

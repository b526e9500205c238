package ai.clawbot.host.stt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whisper-api skill through the gateway: installed signed, the key from the vault, {@code tools.invoke} over a
 * real WebSocket, the tool server in its sandbox reaching a loopback server speaking OpenAI's audio wire format only
 * through the egress proxy and the operator's {@code base_url} grant; pre-approved ({@code external}). The server
 * sees a multipart upload with the Bearer key; transcribe and translate each hit their endpoint; no state file holds
 * the key afterwards.
 */
@ExtendWith(DockerRequired.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WhisperApiSkillEndToEndTest {

    private static final String KEY = "sk-e2e-vault-key-" + Long.toHexString(System.nanoTime());

    @Test
    void transcribeAndTranslateReachTheGrantedServerWithTheVaultKey() throws Exception {
        Path state = Files.createTempDirectory("claw-whisper-api-e2e");
        try (LocalModelServer api = LocalModelServer.start((request, exchange) -> {
            boolean translate = exchange.getRequestURI().getPath().endsWith("/translations");
            LocalModelServer.status(200, translate ? "{\"text\":\"go forward ten meters (english)\"}"
                    : "{\"text\":\"go forward ten meters\"}").respond(request, exchange);
        })) {
            int port = Integer.parseInt(api.baseUrl().replaceFirst(".*:", "").replace("/", ""));
            SpeechFixtures.install(state, "whisper-api");
            FileVault.open(new StateDir(state), Map.of()).set("OPENAI_API_KEY", KEY.getBytes(StandardCharsets.UTF_8));
            Files.writeString(state.resolve("openclaw.json"), """
                    {"plugins": {"entries": {"whisper-api": {"config": {"base_url": "http://127.0.0.1:%d/v1", "max_seconds": 60}}}},
                     "agents": {"list": [{"id": "default", "default": true, "approvals": {"autoApprove": ["whisper-api.*"]}}]}}
                    """.formatted(port));
            Path ws = Files.createDirectories(new StateDir(state).workspace());
            SpeechFixtures.goforwardWav(ws.resolve("cmd.wav"));
            // A real 75 s MP3 (Debian's sox with lame), over the 60 s limit: refused with its length, never uploaded.
            Process sox = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", "-t", "mp3",
                    ws.resolve("talk.bin").toString(), "synth", "75", "sine", "440").redirectErrorStream(true).start();
            assertThat(sox.waitFor()).as(new String(sox.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

            try (Gateway gateway = TestGateway.start(state, SandboxObserver.NONE);
                 ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
                JsonNode t = c.request("tools.invoke", call("transcribe"));
                assertThat(t.at("/payload/isError").asBoolean()).as(t.toString()).isFalse();
                assertThat(t.at("/payload/text").asText()).isEqualTo("go forward ten meters");
                LocalModelServer.Received sent = api.last();
                assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
                assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
                assertThat(sent.header("Content-Type")).startsWith("multipart/form-data; boundary=");
                assertThat(sent.body()).contains("name=\"model\"\r\n\r\nwhisper-1\r\n")
                        .contains("name=\"response_format\"\r\n\r\njson\r\n")
                        .contains("name=\"file\"; filename=\"audio.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF");

                JsonNode tr = c.request("tools.invoke", call("translate"));
                assertThat(tr.at("/payload/text").asText()).as(tr.toString()).isEqualTo("go forward ten meters (english)");
                assertThat(api.last().path()).isEqualTo("/v1/audio/translations");
                assertThat(t.toString() + tr).doesNotContain(KEY);

                int uploads = api.hits();
                ObjectNode tooLong = call("transcribe");
                ((ObjectNode) tooLong.path("args")).put("path", "talk.bin");
                JsonNode refused = c.request("tools.invoke", tooLong);
                assertThat(refused.at("/payload/isError").asBoolean()).as(refused.toString()).isTrue();
                assertThat(refused.at("/payload/structured/error/code").asText()).isEqualTo("AUDIO_TOO_LONG");
                assertThat(refused.at("/payload/structured/error/message").asText())
                        .contains("'talk.bin' is 75.").contains("the limit is 60 s");
                assertThat(api.hits()).as("nothing uploaded").isEqualTo(uploads);
            }
            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("%s", f).doesNotContain(KEY);
                }
            }
        } finally {
            TestGateway.deleteTree(state);
        }
    }

    private static ObjectNode call(String tool) {
        ObjectNode p = ProtocolClient.params().put("skill", "whisper-api").put("tool", tool)
                .put("sessionKey", "agent:default:whisper-api-e2e");
        p.putObject("args").put("path", "cmd.wav");
        return p;
    }
}

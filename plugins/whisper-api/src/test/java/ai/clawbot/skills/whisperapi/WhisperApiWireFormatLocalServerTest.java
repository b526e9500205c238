package ai.clawbot.skills.whisperapi;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.testkit.SkillHarness;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whisper-api skill against a loopback server speaking OpenAI's audio wire format: {@code POST
 * /v1/audio/transcriptions} and {@code /v1/audio/translations}, {@code multipart/form-data} (parsed here with a real
 * MIME parser) with {@code file}, {@code model}, {@code response_format}, {@code language}, {@code prompt}, and the
 * key as a Bearer token; answers in each {@code response_format}, a 401 that echoes the key (the skill must not), a
 * 413. Files the skill must refuse never reach the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhisperApiWireFormatLocalServerTest {

    private static final String KEY = "sk-test-wire-0123456789abcdef";
    private static final String SPOKEN = "go forward ten meters";

    /** One upload as the server parsed it. */
    record Upload(String path, String authorization, Map<String, String> fields, String filename, String fileType, byte[] file) {
    }

    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int limitBytes = 5 * 1024 * 1024;

    @BeforeAll
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/audio/", this::handle);
        server.start();
    }

    @AfterAll
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + KEY).equals(auth)) {
            // OpenAI names the key it got in its message: the skill must not pass that on.
            String got = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
            send(ex, 401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided: " + got
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":"
                    + "\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
            return;
        }
        if (body.length > limitBytes) {
            send(ex, 413, "application/json", "{\"error\":{\"message\":\"Maximum content size limit (" + limitBytes
                    + ") exceeded (" + body.length + " bytes read)\",\"type\":\"server_error\"}}");
            return;
        }
        Upload u;
        try {
            MimeMultipart mp = new MimeMultipart(new ByteArrayDataSource(body, ex.getRequestHeaders().getFirst("Content-Type")));
            Map<String, String> fields = new LinkedHashMap<>();
            String filename = null;
            String type = null;
            byte[] file = null;
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart part = mp.getBodyPart(i);
                ContentDisposition cd = new ContentDisposition(part.getHeader("Content-Disposition")[0]);
                assertThat(cd.getDisposition()).isEqualTo("form-data");
                String name = cd.getParameter("name");
                if (name.equals("file")) {
                    filename = cd.getParameter("filename");
                    type = part.getContentType();
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    part.getInputStream().transferTo(b);
                    file = b.toByteArray();
                } else {
                    fields.put(name, new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            u = new Upload(ex.getRequestURI().getPath(), auth, fields, filename, type, file);
        } catch (Exception e) {
            send(ex, 400, "application/json", "{\"error\":{\"message\":\"bad multipart: " + e.getMessage() + "\"}}");
            return;
        }
        uploads.add(u);
        if (u.file() == null || u.fields().get("model") == null) {
            send(ex, 400, "application/json", "{\"error\":{\"message\":\"file and model are required\"}}");
            return;
        }
        String text = u.path().endsWith("/translations") ? "translated: " + SPOKEN : SPOKEN;
        switch (u.fields().getOrDefault("response_format", "json")) {
            case "text" -> send(ex, 200, "text/plain; charset=utf-8", text + "\n");
            case "srt" -> send(ex, 200, "text/plain; charset=utf-8", "1\n00:00:00,000 --> 00:00:01,500\n" + text + "\n\n");
            case "vtt" -> send(ex, 200, "text/vtt; charset=utf-8", "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n" + text + "\n\n");
            case "verbose_json" -> send(ex, 200, "application/json", "{\"task\":\"" + (u.path().endsWith("/translations")
                    ? "translate" : "transcribe") + "\",\"language\":\"english\",\"duration\":1.5,\"text\":\"" + text
                    + "\",\"segments\":[{\"id\":0,\"seek\":0,\"start\":0.0,\"end\":1.5,\"text\":\" " + text + "\","
                    + "\"tokens\":[50364],\"temperature\":0.0,\"avg_logprob\":-0.2,\"compression_ratio\":0.9,"
                    + "\"no_speech_prob\":0.01}]}");
            default -> send(ex, 200, "application/json", "{\"text\":\"" + text + "\"}");
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private SkillHarness harness(Path ws, String key) {
        return SkillHarness.of(new WhisperApiSkill(Map.of(), Duration.ofSeconds(20))).workspace(ws)
                .setting("base_url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                .setting("max_seconds", "60").secret("OPENAI_API_KEY", key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text", "srt", "verbose_json", "vtt"})
    void everyFormatIsSentAsResponseFormatAndComesBackAsTheServerWroteIt(String format, @TempDir Path ws) throws Exception {
        byte[] wav = wav(16000, 1.5);
        Files.write(ws.resolve("cmd.wav"), wav);
        uploads.clear();
        try (SkillHarness h = harness(ws, KEY)) {
            var call = h.call("transcribe", "path", "cmd.wav", "format", format, "language", "en", "prompt", "robot commands",
                    "model", "whisper-1").ok();
            assertThat(call.structured().path("text").asText().strip()).contains(SPOKEN);
            switch (format) {
                case "json" -> assertThat(call.text()).isEqualTo(SPOKEN);
                case "text" -> assertThat(call.text()).isEqualTo(SPOKEN + "\n");
                case "srt" -> assertThat(call.text()).startsWith("1\n00:00:00,000 --> 00:00:01,500\n" + SPOKEN);
                case "vtt" -> assertThat(call.text()).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500");
                default -> assertThat(call.structured().at("/response/segments/0/end").asDouble()).isEqualTo(1.5);
            }
        }
        assertThat(uploads).hasSize(1);
        Upload u = uploads.get(0);
        assertThat(u.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(u.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(u.fields()).containsEntry("model", "whisper-1").containsEntry("response_format", format)
                .containsEntry("language", "en").containsEntry("prompt", "robot commands");
        assertThat(u.filename()).isEqualTo("audio.wav");
        assertThat(u.fileType()).isEqualTo("audio/wav");
        assertThat(u.file()).isEqualTo(wav);
    }

    @Test
    void translatePostsToTranslationsWithTheDefaultModel(@TempDir Path ws) throws Exception {
        Files.write(ws.resolve("fr.wav"), wav(16000, 1.0));
        uploads.clear();
        try (SkillHarness h = harness(ws, KEY)) {
            h.call("translate", "path", "fr.wav", "format", "text").ok().textIs("translated: " + SPOKEN + "\n");
        }
        assertThat(uploads).singleElement().satisfies(u -> {
            assertThat(u.path()).isEqualTo("/v1/audio/translations");
            assertThat(u.fields()).containsEntry("model", "whisper-1").containsEntry("response_format", "text")
                    .doesNotContainKey("language");
        });
    }

    @Test
    void aWrongKeyIs401AndTheMessageNeverEchoesTheKey(@TempDir Path ws) throws Exception {
        Files.write(ws.resolve("a.wav"), wav(16000, 0.5));
        String wrong = "sk-wrong-key-9876543210zyxw";
        try (SkillHarness h = harness(ws, wrong)) {
            ToolException e = h.call("transcribe", "path", "a.wav").refused("UNAUTHORIZED");
            assertThat(e.getMessage()).contains("401").doesNotContain(wrong).doesNotContain("9876543210");
        }
    }

    @Test
    void theServers413IsATypedRefusal(@TempDir Path ws) throws Exception {
        Files.write(ws.resolve("big.wav"), wav(48000, 20)); // ~1.9 MB
        limitBytes = 1024 * 1024;
        try (SkillHarness h = harness(ws, KEY)) {
            assertThat(h.call("transcribe", "path", "big.wav").refused("TOO_LARGE").getMessage()).contains("413");
        } finally {
            limitBytes = 5 * 1024 * 1024;
        }
    }

    @Test
    void overLimitsAndHostileFilesAreRefusedBeforeAnyUpload(@TempDir Path ws, @TempDir Path outside) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(ws.resolve("huge.wav").toFile(), "rw")) {
            f.write(wav(16000, 0.1));
            f.setLength(25L * 1024 * 1024 + 1);
        }
        Files.write(ws.resolve("long.wav"), wav(8000, 61));
        Files.write(ws.resolve("empty.wav"), new byte[0]);
        byte[] lying = wav(16000, 1.0);
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 10_000_000);
        Files.write(ws.resolve("lying.wav"), lying);
        Files.write(ws.resolve("truncated.wav"), java.util.Arrays.copyOf(wav(16000, 1.0), 30));
        Files.writeString(ws.resolve("notes.wav"), "not audio at all, just text with a .wav name");
        Files.writeString(outside.resolve("OPENAI_API_KEY"), "sk-outside-secret");
        Files.createSymbolicLink(ws.resolve("secret.wav"), outside.resolve("OPENAI_API_KEY"));
        uploads.clear();
        try (SkillHarness h = harness(ws, KEY)) {
            assertThat(h.call("transcribe", "path", "huge.wav").refused("FILE_TOO_LARGE").getMessage()).contains("26214401");
            assertThat(h.call("transcribe", "path", "long.wav").refused("AUDIO_TOO_LONG").getMessage()).contains("61.0 s");
            h.call("transcribe", "path", "empty.wav").refused("EMPTY_AUDIO");
            assertThat(h.call("translate", "path", "lying.wav").refused("BAD_AUDIO").getMessage())
                    .contains("10000000 bytes of audio");
            h.call("transcribe", "path", "truncated.wav").refused("BAD_AUDIO");
            h.call("transcribe", "path", "notes.wav").refused("UNSUPPORTED_AUDIO");
            assertThat(h.call("transcribe", "path", "secret.wav").refused("OUTSIDE_WORKSPACE").getMessage())
                    .doesNotContain("sk-outside-secret");
            h.call("transcribe", "path", "../" + outside.getFileName() + "/OPENAI_API_KEY").refused("OUTSIDE_WORKSPACE");
            h.call("transcribe", "path", "/run/secrets/OPENAI_API_KEY").refused("OUTSIDE_WORKSPACE");
        }
        assertThat(uploads).isEmpty();
    }

    /** A real PCM WAV of a 440 Hz tone. */
    static byte[] wav(int rate, double seconds) throws IOException {
        int n = (int) (rate * seconds);
        byte[] pcm = new byte[n * 2];
        ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        var format = new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(
                new java.io.ByteArrayInputStream(pcm), format, n), javax.sound.sampled.AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }
}

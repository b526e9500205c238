package ai.clawbot.skills.whisperapi;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.net.HttpApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OpenAI's audio endpoints ({@code POST <base>/audio/transcriptions} and {@code /audio/translations}): a
 * {@code multipart/form-data} body with the {@code file} part and the text fields, the key as
 * {@code Authorization: Bearer}, through the sandbox's egress proxy. The answer is returned as the server sent it
 * (JSON or text, by {@code response_format}); errors are typed and never carry the key.
 */
final class AudioApi {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    /** OpenAI's keys ({@code sk-…}): one echoed in an error is scrubbed even when it is not ours. */
    private static final Pattern OPENAI_KEY = Pattern.compile("(?<=sk-)[A-Za-z0-9_*-]{4,}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpApi api;

    private AudioApi(HttpApi api) {
        this.api = api;
    }

    static AudioApi create(Map<String, String> env, Duration deadline) {
        return new AudioApi(HttpApi.create("the audio API", HttpApi.KeyHeader.bearer(), env, deadline, OPENAI_KEY));
    }

    /** One upload; {@code fields} in order, then the file. Returns the body of a 200 answer. */
    String post(String baseUrl, String endpoint, String key, LinkedHashMap<String, String> fields, Path file,
                String filename, String mime) throws ToolException {
        String boundary = "----clawbot" + HexFormat.of().formatHex(RANDOM.generateSeed(12));
        byte[] body;
        try {
            body = multipart(boundary, fields, filename, mime, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ToolException("UNREADABLE", "cannot read the audio file");
        }
        HttpApi.Answer answer = api.send(HttpRequest.newBuilder(HttpApi.uri(baseUrl, "/audio/" + endpoint))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), key);
        int status = answer.status();
        if (answer.ok()) {
            return answer.body();
        }
        String detail = api.detail(answer, key);
        throw switch (status) {
            case 401 -> new ToolException("UNAUTHORIZED", "the audio API refused the key (401); check the "
                    + WhisperApiSkill.KEY_SECRET + " secret");
            case 413 -> new ToolException("TOO_LARGE", "the audio API refused the file as too large (413): " + detail);
            case 429 -> new ToolException("RATE_LIMITED", "the audio API is rate limiting (429): " + detail);
            default -> new ToolException("HTTP_" + status, "the audio API answered " + status + ": " + detail);
        };
    }

    static byte[] multipart(String boundary, Map<String, String> fields, String filename, String mime, byte[] data)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 1024);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + mime + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(data);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}

package ai.clawbot.skills.whisperapi;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.net.ProxyEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's audio endpoints ({@code POST <base>/audio/transcriptions} and {@code /audio/translations}): a
 * {@code multipart/form-data} body with the {@code file} part and the text fields, the key as
 * {@code Authorization: Bearer}, through the sandbox's egress proxy. The answer is returned as the server sent it
 * (JSON or text, by {@code response_format}); errors are typed and never carry the key.
 */
final class AudioApi {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    private static final int MAX_DETAIL = 300;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final Duration deadline;

    private AudioApi(HttpClient http, Duration deadline) {
        this.http = http;
        this.deadline = deadline;
    }

    static AudioApi create(Map<String, String> env, Duration deadline) {
        return new AudioApi(HttpClient.newBuilder().proxy(ProxyEnv.of(env)).connectTimeout(deadline)
                .followRedirects(HttpClient.Redirect.NEVER).build(), deadline);
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
        URI uri = URI.create(trim(baseUrl) + "/audio/" + endpoint);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(deadline)
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ToolException("TIMEOUT", "the audio API did not answer within " + deadline.toSeconds() + " s");
        } catch (IOException e) {
            throw new ToolException("UNREACHABLE", "cannot reach the audio API: " + scrub(e.getMessage(), key));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("INTERRUPTED", "interrupted");
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        String detail = scrub(errorMessage(response.body()), key);
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

    /** OpenAI's {@code {"error": {"message": ...}}}, else the body's first line. */
    private static String errorMessage(String body) {
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            if (json != null && json.path("error").path("message").isTextual()) {
                return json.path("error").path("message").asText();
            }
        } catch (IOException e) {
            // not JSON
        }
        return body;
    }

    static String trim(String baseUrl) {
        String t = baseUrl.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** One line, capped, without the key (servers echo keys in error messages: "Incorrect API key provided: sk-..."). */
    static String scrub(String message, String key) {
        String m = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        if (key != null && !key.isEmpty()) {
            m = m.replace(key, "***");
            if (key.length() > 8) {
                m = m.replace(key.substring(key.length() - 4), "****");
            }
        }
        m = m.replaceAll("sk-[A-Za-z0-9_*-]{4,}", "sk-***");
        return m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "…" : m;
    }
}

package ai.clawbot.host.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Shared helpers: files written as an operator would, and an independent SHA-256. */
final class ConfigFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "tok-0123456789abcdef-SECRET";
    static final String API_KEY = "sk-live-APIKEY-0123456789";

    static final String VALID = """
            {
              "gateway": {
                "port": 18789,
                "bind": "loopback",
                "auth": { "mode": "token", "token": "%s" }
              },
              "models": {
                "providers": {
                  "openai": { "baseUrl": "https://api.openai.com/v1", "api": "openai", "apiKey": "%s", "models": ["gpt-5"] }
                },
                "routing": { "fast": "openai/gpt-5" }
              },
              "agents": { "list": [ { "id": "main", "default": true } ] }
            }
            """.formatted(TOKEN, API_KEY);

    private ConfigFixtures() {
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    static String mode(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object(String s) {
        return (ObjectNode) json(s);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * {@code openclaw.json}: read, and on first run created with a generated gateway token. The file holds a
 * credential, so it is written owner-only (0600), atomically (temp file + rename).
 */
public final class ConfigFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFile() {
    }

    /** Thrown when the config file exists but cannot be used; the message says exactly why. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }

    /**
     * Resolves the gateway configuration. Port: {@code --port}, then {@code OPENCLAW_GATEWAY_PORT}, then
     * {@code gateway.port}, then 18789. Token: {@code OPENCLAW_GATEWAY_TOKEN}, then
     * {@code gateway.auth.token}, else generated and saved.
     */
    public static GatewayConfig resolve(StateDir state, Map<String, String> env, Integer portFlag)
            throws IOException, ConfigException {
        state.ensureRoot();
        ObjectNode root = read(state.configFile());
        ObjectNode gateway = root.with("gateway");
        int port = portFlag != null ? portFlag
                : env.containsKey("OPENCLAW_GATEWAY_PORT") ? parsePort(env.get("OPENCLAW_GATEWAY_PORT"), "OPENCLAW_GATEWAY_PORT")
                : gateway.has("port") ? gateway.get("port").asInt(-1)
                : GatewayConfig.DEFAULT_PORT;
        String bind = gateway.path("bind").asText(GatewayConfig.DEFAULT_BIND);
        if (!bind.equals("127.0.0.1") && !bind.equals("localhost") && !bind.equals("::1")) {
            // A token always guards the socket, but the spine only serves loopback: say so rather than expose it.
            throw new ConfigException("gateway.bind '" + bind + "' is not a loopback address; only loopback is supported");
        }
        String token = Optional.ofNullable(env.get("OPENCLAW_GATEWAY_TOKEN")).filter(t -> !t.isBlank())
                .orElseGet(() -> gateway.path("auth").path("token").asText(null));
        if (token == null) {
            token = generateToken();
            gateway.with("auth").put("mode", "token").put("token", token);
            write(state.configFile(), root);
        }
        try {
            return new GatewayConfig(bind, port, token, state);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static int parsePort(String s, String source) throws ConfigException {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + "='" + s + "' is not a port number (1-65535)");
        }
    }

    static ObjectNode read(Path file) throws IOException, ConfigException {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (node == null || node.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(file + " must hold a JSON object");
        }
        return (ObjectNode) node;
    }

    static void write(Path file, JsonNode content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String generateToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

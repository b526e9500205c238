package ai.clawbot.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small JSON files of the trust store: read whole, written atomically (temp file, fsync, rename). */
final class TrustFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    private TrustFiles() {
    }

    static ObjectNode read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return JSON.createObjectNode();
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            // A trust file we cannot read must not silently mean "nothing revoked": fail closed.
            throw new IOException(file + " is unreadable (" + e.getMessage() + "); fix or remove it", e);
        }
        if (n == null || n.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!n.isObject()) {
            throw new IOException(file + " must hold a JSON object");
        }
        return (ObjectNode) n;
    }

    static void write(Path file, JsonNode content) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
    }
}

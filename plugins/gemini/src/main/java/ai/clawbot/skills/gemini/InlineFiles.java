package ai.clawbot.skills.gemini;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Workspace files sent inline ({@code inlineData: {mimeType, data}}). Paths resolve through {@link ConfinedRoot}:
 * {@code ../}, absolute paths and symlinks leading out of the workspace are refused before anything is read.
 */
final class InlineFiles {

    /** Gemini's inline request limit is 20 MB in all; base64 adds a third. */
    static final long MAX_TOTAL_BYTES = 14L * 1024 * 1024;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"),
            Map.entry("json", "application/json"), Map.entry("html", "text/html"), Map.entry("xml", "text/xml"),
            Map.entry("pdf", "application/pdf"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"),
            Map.entry("mp3", "audio/mp3"), Map.entry("wav", "audio/wav"));

    private InlineFiles() {
    }

    /** Appends one inlineData part per path to parts; returns the bytes read. */
    static long append(Path workspace, JsonNode paths, ArrayNode parts) throws ToolException {
        if (paths == null || paths.isMissingNode() || paths.isEmpty()) {
            return 0;
        }
        ConfinedRoot root;
        try {
            root = ConfinedRoot.open(workspace, "workspace");
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "files need the workspace, and none is mounted");
        }
        long total = 0;
        for (JsonNode p : paths) {
            Path file = root.existing(p.asText());
            if (!Files.isRegularFile(file)) {
                throw new ToolException("NOT_A_FILE", p.asText() + " is not a file");
            }
            try {
                total += Files.size(file);
                if (total > MAX_TOTAL_BYTES) {
                    throw new ToolException("TOO_LARGE", "files over " + MAX_TOTAL_BYTES / (1024 * 1024)
                            + " MiB in all cannot be sent inline");
                }
                parts.addObject().putObject("inlineData").put("mimeType", mimeType(file))
                        .put("data", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new ToolException("READ_FAILED", "cannot read " + p.asText());
            }
        }
        return total;
    }

    static String mimeType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "text/plain");
    }
}

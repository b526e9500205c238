package ai.clawbot.host.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gateway's state folder ({@code OPENCLAW_STATE_DIR}, default {@code ~/.openclaw}) and its layout.
 */
public record StateDir(Path root) {

    public static StateDir fromEnvironment(Map<String, String> env) {
        String dir = env.get("OPENCLAW_STATE_DIR");
        if (dir != null && !dir.isBlank()) {
            return new StateDir(Path.of(dir).toAbsolutePath().normalize());
        }
        return new StateDir(Path.of(System.getProperty("user.home"), ".openclaw"));
    }

    public Path configFile() {
        return root.resolve("openclaw.json");
    }

    public Path plugins() {
        return root.resolve("plugins");
    }

    public Path trust() {
        return root.resolve("trust");
    }

    public Path workspace() {
        return root.resolve("workspace");
    }

    public Path sandboxes() {
        return root.resolve("sandboxes");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    /** Creates the root (owner-only: it holds the token and the trust store) if missing. */
    public void ensureRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        Files.createDirectories(logs());
        Files.createDirectories(sandboxes());
    }
}

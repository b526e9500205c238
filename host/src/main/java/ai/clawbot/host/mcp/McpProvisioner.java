package ai.clawbot.host.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Installs an MCP server's npm package on the host into {@code $OPENCLAW_STATE_DIR/mcp/NAME/} (the sandbox cannot
 * fetch code: it has no network), which the mcporter sandbox mounts read-only at {@code /opt/mcp}. npm runs with
 * {@code --ignore-scripts} (a package's install scripts would run on the host), and the exact version and
 * integrity npm resolved are recorded in {@code provisioned.json}.
 */
public final class McpProvisioner {

    /** A server name: the key under {@code mcpServers}, a folder name, part of a path in the sandbox. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    /** npm's package spec we accept: an optional scope, a name, an optional version or tag. No URLs, paths or git. */
    static final Pattern PACKAGE = Pattern.compile("^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*(@[A-Za-z0-9._^~<>=|* -]+)?$");
    public static final String MOUNT = ai.clawbot.plugin.manifest.SandboxSpec.MCP_SERVERS_MOUNT;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final List<String> npm;

    /** @param root {@code $OPENCLAW_STATE_DIR/mcp}; @param npm the npm command (e.g. {@code [npm]}) */
    public McpProvisioner(Path root, List<String> npm) {
        this.root = root;
        this.npm = List.copyOf(npm);
    }

    /** What was installed: the package, the exact version and integrity npm resolved, and the entry point. */
    public record Installed(String name, String packageName, String version, String integrity, String resolved, String bin) {

        /** The bin's path as the sandbox sees it. */
        public String sandboxBin() {
            return MOUNT + "/" + name + "/node_modules/" + packageName + "/" + bin;
        }

        public String sandboxDir() {
            return MOUNT + "/" + name;
        }
    }

    public Path folder(String name) {
        return root.resolve(name);
    }

    /**
     * Runs {@code npm install} into a fresh folder, showing npm's progress on {@code progress}, then moves it into
     * place. Throws with npm's own words when it fails; nothing is left behind then.
     */
    public Installed install(String name, String spec, boolean offline, OutputStream progress) throws IOException, InterruptedException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("server name must match " + NAME.pattern());
        }
        if (!PACKAGE.matcher(spec).matches()) {
            throw new IllegalArgumentException("--npm takes a registry package, NAME or NAME@VERSION (no URL, path or git spec): " + spec);
        }
        Path target = folder(name);
        if (Files.exists(target)) {
            throw new IllegalStateException("an MCP server named '" + name + "' is provisioned already (" + target
                    + "); remove it first: claw mcp remove " + name);
        }
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, "." + name + "-");
        // A temp folder is owner-only; the sandbox user (not the gateway's, when it runs as root) must read it.
        Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Files.writeString(staging.resolve("package.json"), "{\"name\":\"clawbot-mcp-" + name.toLowerCase() + "\",\"private\":true}\n");
            List<String> cmd = new ArrayList<>(npm);
            cmd.addAll(List.of("install", "--prefix", staging.toString(), "--no-audit", "--no-fund", "--ignore-scripts",
                    "--omit=dev", "--save-exact", "--no-update-notifier", "--loglevel=http"));
            if (offline) {
                cmd.add("--offline");
            }
            cmd.add(spec);
            Process p = new ProcessBuilder(cmd).directory(staging.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(progress);
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException("npm install " + spec + " failed (exit " + code + ")");
            }
            Installed installed = read(name, staging, packageName(spec));
            Files.writeString(staging.resolve("provisioned.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(installed) + "\n");
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return installed;
        } finally {
            deleteTree(staging);
        }
    }

    /** The record of a provisioned server, or null when it has none. */
    public Installed provisioned(String name) throws IOException {
        Path f = folder(name).resolve("provisioned.json");
        return Files.isRegularFile(f) ? JSON.readValue(f.toFile(), Installed.class) : null;
    }

    public boolean remove(String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("server name must match " + NAME.pattern());
        }
        Path f = folder(name);
        boolean existed = Files.exists(f);
        deleteTree(f);
        return existed;
    }

    static String packageName(String spec) {
        int at = spec.indexOf('@', 1);
        return at < 0 ? spec : spec.substring(0, at);
    }

    private static Installed read(String name, Path dir, String pkg) throws IOException {
        JsonNode lock = JSON.readTree(dir.resolve("package-lock.json").toFile());
        JsonNode entry = lock.path("packages").path("node_modules/" + pkg);
        if (entry.isMissingNode()) {
            throw new IOException("npm's lock file does not list " + pkg);
        }
        JsonNode manifest = JSON.readTree(dir.resolve("node_modules").resolve(pkg).resolve("package.json").toFile());
        String bin = bin(manifest, pkg);
        Path binFile = dir.resolve("node_modules").resolve(pkg).resolve(bin).normalize();
        if (!binFile.startsWith(dir.resolve("node_modules").resolve(pkg)) || !Files.isRegularFile(binFile)) {
            throw new IOException(pkg + " names a bin outside its package or one that does not exist: " + bin);
        }
        return new Installed(name, pkg, entry.path("version").asText(), entry.path("integrity").asText(),
                entry.path("resolved").asText(), bin.startsWith("./") ? bin.substring(2) : bin);
    }

    /** The package's one executable ({@code bin}), else its {@code main}. */
    private static String bin(JsonNode manifest, String pkg) throws IOException {
        JsonNode bin = manifest.path("bin");
        if (bin.isTextual()) {
            return bin.asText();
        }
        if (bin.isObject() && bin.size() == 1) {
            return bin.elements().next().asText();
        }
        String bare = pkg.contains("/") ? pkg.substring(pkg.indexOf('/') + 1) : pkg;
        if (bin.isObject() && bin.has(bare)) {
            return bin.get(bare).asText();
        }
        if (manifest.hasNonNull("main")) {
            return manifest.get("main").asText();
        }
        throw new IOException(pkg + " has no single bin or main to run; configure its command by hand");
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}

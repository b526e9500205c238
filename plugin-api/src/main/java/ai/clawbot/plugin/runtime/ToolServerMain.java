package ai.clawbot.plugin.runtime;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point inside a sandbox container: {@code java -cp /opt/claw/lib/*:/opt/claw/plugin/plugin.jar
 * ai.clawbot.plugin.runtime.ToolServerMain [--workspace /workspace] [--settings-file FILE] [--set key=value]...}.
 * Reads the manifest from the plugin jar, finds the skill through {@link ServiceLoader}, and serves MCP
 * on stdio until the host kills the container. Diagnostics go to stderr; stdout carries only protocol.
 * The settings come from a JSON object file ({@value #SETTINGS_FILE} when it exists: the host mounts it
 * read-only); {@code --set} values (tests, old hosts) go underneath it.
 */
public final class ToolServerMain {

    /** Where the host mounts a skill's settings. */
    public static final String SETTINGS_FILE = "/run/clawbot/settings.json";

    private ToolServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workspace = Path.of("/workspace");
        Map<String, String> settings = new HashMap<>();
        Path settingsFile = Path.of(SETTINGS_FILE);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workspace" -> workspace = Path.of(args[++i]);
                case "--settings-file" -> settingsFile = Path.of(args[++i]);
                case "--set" -> {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    settings.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        SkillManifest manifest;
        try (InputStream in = ToolServerMain.class.getClassLoader().getResourceAsStream(SkillManifest.JAR_ENTRY)) {
            if (in == null) {
                throw new IllegalStateException("no " + SkillManifest.JAR_ENTRY + " on the classpath");
            }
            manifest = ManifestReader.read(in);
        }
        Skill skill = ServiceLoader.load(Skill.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + Skill.class.getName() + " service in the plugin jar"));
        ToolServer.create(manifest, skill, new ToolContext(workspace, readSettings(settingsFile, settings)))
                .serve(System.in, System.out);
        new CountDownLatch(1).await(); // serve until killed
    }

    /** The settings file's object, over the {@code --set} strings; the file must be a JSON object if present. */
    static JsonNode readSettings(Path file, Map<String, String> strings) throws java.io.IOException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        strings.forEach(out::put);
        if (java.nio.file.Files.isRegularFile(file)) {
            JsonNode read = new ObjectMapper().readTree(file.toFile());
            if (read == null || !read.isObject()) {
                throw new IllegalStateException(file + " is not a JSON object");
            }
            out.setAll((ObjectNode) read);
        }
        return out;
    }
}

package ai.clawbot.plugin.runtime;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point inside a sandbox container: {@code java -cp /opt/claw/lib/*:/opt/claw/plugin/plugin.jar
 * ai.clawbot.plugin.runtime.ToolServerMain [--workspace /workspace] [--set key=value]...}.
 * Reads the manifest from the plugin jar, finds the skill through {@link ServiceLoader}, and serves MCP
 * on stdio until the host kills the container. Diagnostics go to stderr; stdout carries only protocol.
 */
public final class ToolServerMain {

    private ToolServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path workspace = Path.of("/workspace");
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workspace" -> workspace = Path.of(args[++i]);
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
        ToolServer.create(manifest, skill, new ToolContext(workspace, settings)).serve(System.in, System.out);
        new CountDownLatch(1).await(); // serve until killed
    }
}

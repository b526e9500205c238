package ai.clawbot.host.testkit;

/**
 * A deliberately broken skill for the skill-testkit contract's own tests: it breaks three rules the way real
 * skills get them wrong. On its first call it starts a helper process with its secret in that helper's
 * environment (ENV); {@code read} resolves any path, '..' and absolute ones included (PATHS); {@code hang}
 * sleeps far past the manifest's timeout (TIMEOUT). The timeout counts from the call's start, a cold container's
 * start included, so it leaves a loaded machine room for that. Release 17, no backslashes (lives in a text block).
 */
public final class BrokenSkillSource {

    private BrokenSkillSource() {
    }

    public static final String ID = "leaky";
    public static final String CLASS_NAME = "leaky.LeakySkill";

    public static final String MANIFEST = """
            id: leaky
            version: 1.0.0
            description: A deliberately broken skill (tests only) that leaks a secret into env, escapes paths and ignores its timeout.
            tools:
              - name: read
                description: Read a file by path, with no confinement at all.
                effect: read
                examples: [{path: notes.md}]
                input: {type: object, additionalProperties: false, required: [path], properties: {path: {type: string, minLength: 1}}}
              - name: hang
                description: Work that never ends.
                effect: read
                examples: [{}]
                input: {type: object}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: rw, secrets: [api_key], resources: {timeout: 15s}}
            network: none
            """;

    public static final String SOURCE = """
            package leaky;

            import ai.clawbot.plugin.api.*;
            import java.nio.file.*;
            import java.util.Map;

            public class LeakySkill implements Skill {

                private static Process helper;

                public Map<String, ToolHandler> tools() {
                    return Map.of("read", (args, ctx) -> {
                        startHelper(ctx);
                        Path p = ctx.workspace().resolve(args.path("path").asText());
                        try {
                            return ToolResult.text(Files.readString(p));
                        } catch (NoSuchFileException e) {
                            throw new ToolException("NOT_FOUND", "no file " + args.path("path").asText());
                        } catch (Exception e) {
                            throw new ToolException("IO", e.toString());
                        }
                    }, "hang", (args, ctx) -> {
                        try {
                            Thread.sleep(600_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return ToolResult.text("done at last");
                    });
                }

                private static synchronized void startHelper(ToolContext ctx) throws ToolException {
                    if (helper != null) {
                        return;
                    }
                    try {
                        ProcessBuilder pb = new ProcessBuilder("sleep", "600");
                        pb.environment().put("OPENCLAW_API_KEY", ctx.secret("api_key").orElse("missing"));
                        helper = pb.start();
                    } catch (Exception e) {
                        throw new ToolException("HELPER", e.toString());
                    }
                }
            }
            """;

    public static TestPluginJar jar() {
        return TestPluginJar.of(ID, "1.0.0", MANIFEST, CLASS_NAME, SOURCE);
    }
}

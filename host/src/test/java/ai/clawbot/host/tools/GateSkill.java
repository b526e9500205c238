package ai.clawbot.host.tools;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.TestPluginJar;
import java.nio.file.Path;

/**
 * A signed test skill for the gate's door tests. {@code touch} is declared a {@code read} but writes
 * {@code /workspace/<name>.txt} (a manifest that undersells its tool: only the narrowed mount stops it);
 * {@code send} has effect {@code external}, so it waits for an operator, and only answers "sent to ...".
 */
final class GateSkill {

    static final String MANIFEST = """
            id: gatekeep
            version: 1.0.0
            description: Tool-gate test skill (tests only).
            tools:
              - name: touch
                description: Write a file in the workspace, though declared a read.
                effect: read
                input:
                  type: object
                  additionalProperties: false
                  required: [name]
                  properties: {name: {type: string, pattern: "^[a-z0-9-]{1,40}$"}}
              - name: send
                description: Pretend to send a message outside.
                effect: external
                input:
                  type: object
                  additionalProperties: false
                  required: [to]
                  properties: {to: {type: string}}
            sandbox: {image: clawbot/skill-jre:17}
            permissions:
              workspace: rw
              resources: {memory: 256m, cpus: 1, pids: 64, timeout: 30s}
            network: none
            """;

    static final String SOURCE = """
            package gatekeep;

            import ai.clawbot.plugin.api.*;
            import java.nio.file.*;
            import java.util.Map;

            public class Gate implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of(
                        "touch", (args, ctx) -> {
                            Path p = Path.of("/workspace", args.path("name").asText() + ".txt");
                            try {
                                Files.writeString(p, "written");
                                return ToolResult.text("wrote " + p);
                            } catch (Exception e) {
                                throw new ToolException("WRITE_FAILED", e.toString());
                            }
                        },
                        "send", (args, ctx) -> ToolResult.text("sent to " + args.path("to").asText()));
                }
            }
            """;

    private GateSkill() {
    }

    /** Builds, signs and trusts the skill in {@code state}'s plugins and trust folders. */
    static void install(Path state) throws Exception {
        StateDir dir = new StateDir(state);
        TestPluginJar.of("gatekeep", "1.0.0", MANIFEST, "gatekeep.Gate", SOURCE)
                .buildSignedAndTrusted(dir.plugins(), dir.trust(), "gate-publisher");
    }
}

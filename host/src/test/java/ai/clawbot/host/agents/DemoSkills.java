package ai.clawbot.host.agents;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.TestPluginJar;
import java.nio.file.Path;

/**
 * Two signed test skills for agent-loop tests. {@code demo} has one tool of each effect (read, write, external,
 * secret), declares workspace rw, one secret and two egress hosts; {@code notes} is a second skill an agent can be
 * kept away from. {@link SkillCatalog} has no public constructor, so the skills are real signed jars loaded through
 * the real verification path; their code never runs (the tests' sandbox is a fake).
 */
final class DemoSkills {

    static final String HOST_A = "a.example.com:443";
    static final String HOST_B = "b.example.com:443";
    static final String SECRET = "demo_token";

    static final String DEMO = """
            id: demo
            version: 1.0.0
            description: Agent-loop test skill with one tool per effect.
            tools:
              - name: lookup
                description: Look something up.
                effect: read
                input:
                  type: object
                  additionalProperties: false
                  required: [query]
                  properties: {query: {type: string, minLength: 1}}
              - name: write
                description: Write a file into the workspace.
                effect: write
                input:
                  type: object
                  additionalProperties: false
                  required: [path, content]
                  properties: {path: {type: string}, content: {type: string}}
              - name: send
                description: Send a message outside the sandbox.
                effect: external
                input:
                  type: object
                  additionalProperties: false
                  required: [to]
                  properties: {to: {type: string}, body: {type: string}}
              - name: reveal
                description: Use the demo token.
                effect: secret
                input: {type: object, properties: {}}
            sandbox: {image: clawbot/skill-jre:17}
            permissions:
              workspace: rw
              secrets: [%s]
              resources: {memory: 128m, timeout: 10s}
            network: {allow: ["%s", "%s"]}
            """.formatted(SECRET, HOST_A, HOST_B);

    static final String NOTES = """
            id: notes
            version: 1.0.0
            description: A second skill, to keep agents away from.
            tools:
              - name: read
                description: Read a note.
                effect: read
                input: {type: object, required: [path], properties: {path: {type: string}}}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: ro}
            network: none
            """;

    private static final String SOURCE = """
            package %s;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Impl implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of();
                }
            }
            """;

    private DemoSkills() {
    }

    /** Builds, signs and trusts both skills in {@code state}'s plugins and trust folders. */
    static void install(Path state) throws Exception {
        StateDir dir = new StateDir(state);
        TestPluginJar.of("demo", "1.0.0", DEMO, "demo.Impl", SOURCE.formatted("demo"))
                .buildSignedAndTrusted(dir.plugins(), dir.trust(), "demo-publisher");
        TestPluginJar.of("notes", "1.0.0", NOTES, "notes.Impl", SOURCE.formatted("notes"))
                .buildSignedAndTrusted(dir.plugins(), dir.trust(), "notes-publisher");
    }

    /** Installs both skills and loads them through the verifying catalog. */
    static SkillCatalog catalog(Path state) throws Exception {
        install(state);
        SkillCatalog c = SkillCatalog.load(new StateDir(state));
        if (c.skills().size() != 2) {
            c.close();
            throw new IllegalStateException("test skills did not load: refused " + c.refused());
        }
        return c;
    }
}

package ai.clawbot.host.security;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.testkit.TestPluginJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/** Builds deliberately bad state folders: signed test skills with chosen powers, configs, modes. */
final class BadStates {

    static final String SOURCE = """
            package %s;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Impl implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of();
                }
            }
            """;

    private BadStates() {
    }

    /** A manifest with one tool of {@code effect}; {@code network} is {@code none} or a host:port. */
    static String manifest(String id, String tool, String effect, String workspace, String secret, String network) {
        return """
                id: %s
                version: 1.0.0
                description: Audit test skill.
                tools:
                  - name: %s
                    description: A tool.
                    effect: %s
                    input: {type: object, properties: {}}
                sandbox: {image: clawbot/skill-jre:17}
                permissions:
                  workspace: %s
                  secrets: [%s]
                network: %s
                """.formatted(id, tool, effect, workspace, secret == null ? "" : secret,
                network.equals("none") ? "none" : "{allow: [\"" + network + "\"]}");
    }

    /** Builds, signs and trusts a skill in {@code state}. */
    static Path install(StateDir state, String id, String manifestYaml) throws Exception {
        return TestPluginJar.of(id, "1.0.0", manifestYaml, id + ".Impl", SOURCE.formatted(id))
                .buildSignedAndTrusted(state.plugins(), state.trust(), id + "-publisher");
    }

    static void config(StateDir state, String json) throws Exception {
        Files.createDirectories(state.root());
        Files.writeString(state.configFile(), json);
        Files.setPosixFilePermissions(state.configFile(), PosixFilePermissions.fromString("rw-------"));
    }

    /** The audit without an engine (the checks that need one get their own tests). */
    static AuditReport audit(StateDir state) throws Exception {
        return audit(state, Map.of());
    }

    static AuditReport audit(StateDir state, Map<String, String> env) throws Exception {
        try (AuditContext c = AuditContext.load(state, env, false, Optional.empty(), Optional.empty())) {
            return SecurityAudit.create().run(c);
        }
    }
}

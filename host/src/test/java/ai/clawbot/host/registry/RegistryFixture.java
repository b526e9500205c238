package ai.clawbot.host.registry;

import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

/** Real signed plugin jars for the registry tests: {@code demo} 0.9.0, 1.0.0 and a 2.0.0 that widens permissions. */
final class RegistryFixture {

    static final String NARROW = """
            id: %s
            version: %s
            description: Demo notes skill for the registry.
            tools:
              - name: hello
                description: Say hello.
                effect: read
                input: {type: object}
            sandbox: {image: skill-jre}
            permissions: {workspace: none}
            network: none
            """;

    /** Adds an external tool, a secret and a network host: an update to it must show all three. */
    static final String WIDE = """
            id: %s
            version: %s
            description: Demo notes skill for the registry.
            tools:
              - name: hello
                description: Say hello.
                effect: read
                input: {type: object}
              - name: send
                description: Send a note away.
                effect: external
                input: {type: object}
            sandbox: {image: skill-jre}
            permissions: {workspace: ro, secrets: [DEMO_TOKEN]}
            network: {allow: ["api.example.com:443"]}
            """;

    private static final String SOURCE = """
            package %s;
            import ai.clawbot.plugin.api.*;
            import java.util.Map;
            public class Hello implements Skill {
                public Map<String, ToolHandler> tools() { return Map.of("hello", (a, c) -> ToolResult.text("hello"), "send", (a, c) -> ToolResult.text("sent")); }
            }
            """;

    private RegistryFixture() {
    }

    /** Builds {@code id.jar} (not signed) in its own folder of {@code dir}. */
    static Path unsignedJar(Path dir, String id, String version, String yaml) throws Exception {
        return build(Files.createDirectories(dir.resolve("build-" + id + "-" + version)), id, version, yaml);
    }

    private static Path build(Path out, String id, String version, String yaml) throws Exception {
        return TestPluginJar.of(id, version, yaml.formatted(id, version), id.replace('-', '_') + ".Hello",
                SOURCE.formatted(id.replace('-', '_'))).build(out);
    }

    /** Builds {@code id.jar} + {@code .sig} in its own folder of {@code dir}, signed by {@code key}. */
    static Path signedJar(Path dir, String id, String version, String yaml, KeyPair key) throws Exception {
        Path out = Files.createDirectories(dir.resolve("build-" + id + "-" + version + "-" + Keys.keyId(key.getPublic()).substring(0, 8)));
        Path jar = build(out, id, version, yaml);
        Files.write(jar.resolveSibling(jar.getFileName() + ".sig"),
                PluginSigner.sign(Files.readAllBytes(jar), key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        return jar;
    }
}

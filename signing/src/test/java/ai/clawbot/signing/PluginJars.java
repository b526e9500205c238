package ai.clawbot.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds real plugin jars (and hand-made signatures) for the signing tests. */
final class PluginJars {

    static final String SKILL_YAML = """
            id: notes
            version: 1.2.3
            description: test skill
            tools: []
            sandbox:
              image: clawbot/skill-jre:17
            """;

    private PluginJars() {
    }

    /** A plugin jar with MANIFEST.MF (id, version), the skill manifest and one class-ish entry. */
    static byte[] pluginJar(String pluginId, String version, String skillYaml) throws IOException {
        Map<String, byte[]> extra = new LinkedHashMap<>();
        extra.put("ai/clawbot/test/Notes.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61});
        return jar(manifest(pluginId, version), skillYaml, extra);
    }

    static Manifest manifest(String pluginId, String version) {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (pluginId != null) {
            a.putValue("Plugin-Id", pluginId);
        }
        if (version != null) {
            a.putValue("Plugin-Version", version);
        }
        return mf;
    }

    /** A jar written with {@link JarOutputStream}; {@code skillYaml == null} leaves the skill manifest out. */
    static byte[] jar(Manifest mf, String skillYaml, Map<String, byte[]> extra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = mf == null ? new JarOutputStream(bytes) : new JarOutputStream(bytes, mf)) {
            if (skillYaml != null) {
                put(out, "META-INF/clawbot/skill.yaml", skillYaml.getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                put(out, e.getKey(), e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    static byte[] manifestBytes(String pluginId, String version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        manifest(pluginId, version).write(out);
        return out.toByteArray();
    }

    /** Writes bytes to a file in {@code dir} and returns them (the tests work on real files). */
    static byte[] writeTo(Path dir, String fileName, byte[] bytes) throws IOException {
        Path file = dir.resolve(fileName);
        Files.write(file, bytes);
        return Files.readAllBytes(file);
    }

    /**
     * Signs an arbitrary statement exactly as {@link PluginSigner} would sign a real one: lets a test
     * build a validly signed statement that does not describe the jar.
     */
    static PluginSignature signStatement(SignatureStatement statement, PrivateKey key)
            throws IOException, GeneralSecurityException {
        byte[] statementBytes = new ObjectMapper().writeValueAsBytes(statement);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(PluginSignature.signedMessage(statementBytes));
        return new PluginSignature(statementBytes, s.sign());
    }

    private static void put(JarOutputStream jar, String name, byte[] data) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(data);
        jar.closeEntry();
    }
}

package ai.clawbot.host.testkit;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real skill plugin jar in a test folder: compiles the skill's Java source (release 17, as the
 * sandbox JRE runs), packs it with its manifest, PF4J descriptor and service entry, and can sign it with
 * a fresh key that it adds to a trust store.
 */
public final class TestPluginJar {

    private final String id;
    private final String version;
    private final String manifestYaml;
    private final String className;
    private final String source;

    private TestPluginJar(String id, String version, String manifestYaml, String className, String source) {
        this.id = id;
        this.version = version;
        this.manifestYaml = manifestYaml;
        this.className = className;
        this.source = source;
    }

    public static TestPluginJar of(String id, String version, String manifestYaml, String className, String source) {
        return new TestPluginJar(id, version, manifestYaml, className, source);
    }

    /** Compiles the skill and returns the jar's entries in order (manifest first), for byte-level tests. */
    public java.util.LinkedHashMap<String, byte[]> entries(Path dir) throws IOException {
        Path jar = build(dir);
        java.util.LinkedHashMap<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(jar))) {
            java.util.zip.ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        Files.delete(jar);
        return out;
    }

    /** Compiles and packs the jar into {@code dir/<id>.jar}. */
    public Path build(Path dir) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createTempDirectory(dir, "classes");
        Path file = src.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = String.join(java.io.File.pathSeparator, codeSource(Skill.class), codeSource(JsonNode.class),
                codeSource(JsonFactory.class), codeSource(JsonAutoDetect.class));
        int rc = javac.run(null, null, null, "--release", "17", "-proc:none", "-cp", cp, "-d", classes.toString(), file.toString());
        if (rc != 0) {
            throw new IOException("test plugin " + id + " does not compile");
        }
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", id);
        a.putValue("Plugin-Version", version);
        a.putValue("Plugin-Class", "ai.clawbot.plugin.api.SkillPlugin");
        Path jar = dir.resolve(id + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            put(out, "META-INF/clawbot/skill.yaml", manifestYaml.getBytes(StandardCharsets.UTF_8));
            put(out, "META-INF/services/ai.clawbot.plugin.api.Skill", className.getBytes(StandardCharsets.UTF_8));
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(classes)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            for (Path f : files) {
                put(out, classes.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return jar;
    }

    /** Builds into {@code plugins}, signs with a new key, and trusts that key in {@code trustDir}. */
    public Path buildSignedAndTrusted(Path plugins, Path trustDir, String keyName) throws Exception {
        Files.createDirectories(plugins);
        Path jar = build(plugins);
        KeyPair key = Keys.generate();
        TrustStore.open(trustDir).add(key.getPublic(), keyName);
        Files.write(jar.resolveSibling(jar.getFileName() + ".sig"),
                PluginSigner.sign(Files.readAllBytes(jar), key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static String codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}

package ai.clawbot.bench;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pf4j.JarPluginManager;

/**
 * Start-up cost of plugin trust: loading seven signed skill plugins with full verification (signature,
 * trust store, revocations, minimum versions, manifest schema, staging of the verified bytes), against
 * the same-run baseline of plain PF4J loading the same seven jars with no verification at all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class PluginLoadBenchmark {

    static final int PLUGINS = 7;
    StateDir state;

    @Setup(Level.Trial)
    public void seedSevenSignedPlugins() throws Exception {
        Path root = Files.createTempDirectory("claw-bench");
        state = new StateDir(root);
        state.ensureRoot();
        KeyPair key = Keys.generate();
        TrustStore.open(state.trust()).add(key.getPublic(), "bench");
        Files.createDirectories(state.plugins());
        byte[] obsidian;
        try (InputStream in = PluginLoadBenchmark.class.getResourceAsStream("/bundled/plugins/obsidian.jar")) {
            obsidian = in.readAllBytes();
        }
        for (int i = 1; i <= PLUGINS; i++) {
            byte[] jar = renamed(obsidian, "skill" + i);
            Path file = state.plugins().resolve("skill" + i + ".jar");
            Files.write(file, jar);
            Files.write(file.resolveSibling(file.getFileName() + ".sig"),
                    PluginSigner.sign(jar, key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        }
    }

    /** The bundled obsidian jar with its plugin id (descriptor and skill manifest) changed. */
    static byte[] renamed(byte[] jar, String id) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar));
             ZipOutputStream zout = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals("META-INF/MANIFEST.MF") || e.getName().equals("META-INF/clawbot/skill.yaml")) {
                    String s = new String(b, StandardCharsets.UTF_8)
                            .replace("Plugin-Id: obsidian", "Plugin-Id: " + id)
                            .replace("id: obsidian", "id: " + id);
                    b = s.getBytes(StandardCharsets.UTF_8);
                }
                zout.putNextEntry(new ZipEntry(e.getName()));
                zout.write(b);
                zout.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Benchmark
    public int verifyAndLoadSeven() throws Exception {
        try (SkillCatalog catalog = SkillCatalog.load(state)) {
            if (catalog.skills().size() != PLUGINS) {
                throw new IllegalStateException("expected " + PLUGINS + " skills, refused: " + catalog.refused());
            }
            return catalog.skills().size();
        }
    }

    @Benchmark
    public int baselinePf4jLoadSevenUnverified() {
        JarPluginManager pf4j = new JarPluginManager(state.plugins());
        pf4j.loadPlugins();
        int n = pf4j.getPlugins().size();
        pf4j.unloadPlugins();
        if (n != PLUGINS) {
            throw new IllegalStateException("expected " + PLUGINS + " plugins, got " + n);
        }
        return n;
    }
}

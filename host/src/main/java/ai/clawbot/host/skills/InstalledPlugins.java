package ai.clawbot.host.skills;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.signing.JarInspector;
import ai.clawbot.signing.PluginVerifier;
import ai.clawbot.signing.SignatureStatement;
import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every jar of a state folder's plugins folder, verified exactly as a load verifies it ({@link PluginGate}), but
 * without loading or staging anything: for {@code claw security audit} and {@code claw doctor}, which must not
 * change the state they inspect.
 */
public final class InstalledPlugins {

    private InstalledPlugins() {
    }

    /**
     * One plugin file and its verdict.
     *
     * @param signedAt the signature statement's {@code signedAt} when the file could be parsed (verified or not)
     */
    public record Installed(String file, Optional<PluginPreview> verified, Optional<RefusedPlugin> refused,
                            boolean disabled, Optional<String> signedAt) {

        public Optional<SkillManifest> manifest() {
            return verified.map(PluginPreview::manifest);
        }
    }

    /** Verifies every {@code *.jar} of {@code state}'s plugins folder (none when it does not exist). */
    public static List<Installed> scan(StateDir state) throws IOException {
        List<Installed> out = new ArrayList<>();
        if (!Files.isDirectory(state.plugins())) {
            return out;
        }
        Set<String> disabled = new PluginStates(state.plugins()).disabled();
        Path scratch = Files.createTempDirectory("claw-verify");
        try {
            // No trust store yet: verify against an empty one rather than create the folders in the inspected state.
            Path trustDir = Files.isDirectory(state.trust().resolve("keys")) ? state.trust() : scratch.resolve("trust");
            PluginGate gate = new PluginGate(PluginVerifier.create(TrustStore.open(trustDir)), ai.clawbot.signing.CheckMemo.NONE,
                    scratch.resolve("staging"));
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(state.plugins(), "*.jar")) {
                ds.forEach(jars::add);
            }
            jars.sort(Comparator.comparing(Path::toString));
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                byte[] sig;
                try {
                    sig = PluginGate.readSignature(jar);
                } catch (IOException e) {
                    out.add(new Installed(name, Optional.empty(), Optional.of(new RefusedPlugin(name, "MALFORMED_SIGNATURE",
                            e.getMessage())), false, Optional.empty()));
                    continue;
                }
                PluginGate.Examined e = gate.examine(name, PluginGate.readBounded(jar, JarInspector.MAX_JAR_BYTES), sig);
                Optional<String> signedAt = signedAt(sig);
                if (e instanceof PluginGate.Examined.Good g) {
                    out.add(new Installed(name, Optional.of(g.preview()), Optional.empty(),
                            disabled.contains(g.preview().id()), signedAt));
                } else {
                    out.add(new Installed(name, Optional.empty(), Optional.of(((PluginGate.Examined.Bad) e).refused()),
                            false, signedAt));
                }
            }
        } finally {
            try (var walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return out;
    }

    private static Optional<String> signedAt(byte[] sig) {
        if (sig == null) {
            return Optional.empty();
        }
        try {
            SignatureStatement s = ai.clawbot.signing.PluginSignature.parse(sig).statement();
            return Optional.ofNullable(s.signedAt());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

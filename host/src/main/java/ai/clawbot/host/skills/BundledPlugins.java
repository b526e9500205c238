package ai.clawbot.host.skills;

import ai.clawbot.host.config.StateDir;
import java.io.IOException;
import java.io.InputStream;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.TrustStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Installs the plugins bundled in the host jar (signed at build time) on a state folder's first run,
 * and seeds its trust store with the bundle's publisher key, once (marker files record that it was done).
 * Later runs leave both alone, so an operator's removals and revocations stick; a revoked key is never
 * re-seeded.
 */
public final class BundledPlugins {

    private static final System.Logger LOG = System.getLogger(BundledPlugins.class.getName());
    private static final String ROOT = "/bundled/";

    private BundledPlugins() {
    }

    public static void installOnFirstRun(StateDir state) throws IOException {
        List<String> entries = index();
        Path trustMarker = state.trust().resolve(".bundled-key-seeded");
        boolean freshPlugins = !Files.exists(state.plugins());
        boolean seedTrust = !Files.exists(trustMarker);
        TrustStore trust = TrustStore.open(state.trust());
        for (String entry : entries) {
            if (entry.startsWith("trust/") && seedTrust) {
                byte[] bytes = resource(entry);
                String name = entry.substring("trust/".length()).replaceFirst("\\.pem$", "");
                try {
                    trust.add(Keys.readPublic(new String(bytes, StandardCharsets.US_ASCII)), name);
                    LOG.log(System.Logger.Level.INFO, "Trusted the bundled publisher key '" + name + "'");
                } catch (IllegalArgumentException | GeneralSecurityException e) {
                    LOG.log(System.Logger.Level.WARNING, "Did not trust the bundled key '" + name + "': " + e.getMessage());
                }
            } else if (entry.startsWith("plugins/") && freshPlugins) {
                Path target = state.plugins().resolve(entry.substring("plugins/".length()));
                Files.createDirectories(target.getParent());
                Files.write(target, resource(entry));
                LOG.log(System.Logger.Level.INFO, "Installed bundled " + entry + " into " + target.getParent());
            }
        }
        Files.createDirectories(state.plugins());
        if (seedTrust) {
            Files.writeString(trustMarker, "bundled publisher key seeded; delete this file to seed it again\n");
        }
    }

    private static byte[] resource(String entry) throws IOException {
        try (InputStream in = BundledPlugins.class.getResourceAsStream(ROOT + entry)) {
            if (in == null) {
                throw new IOException("bundled resource " + entry + " is missing from the host jar");
            }
            return in.readAllBytes();
        }
    }

    /** The file names (without {@code .jar}) of the plugins this build bundles, e.g. {@code obsidian}. */
    public static List<String> skillIds() throws IOException {
        return index().stream().filter(e -> e.startsWith("plugins/") && e.endsWith(".jar"))
                .map(e -> e.substring("plugins/".length(), e.length() - ".jar".length())).sorted().toList();
    }

    static List<String> index() throws IOException {
        try (InputStream in = BundledPlugins.class.getResourceAsStream(ROOT + "index.txt")) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}

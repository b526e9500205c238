package ai.clawbot.host.skills;

import ai.clawbot.host.gateway.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Installs the plugins bundled in the host jar (signed at build time) on a state folder's first run,
 * and seeds its trust store with the bundle's publisher key. Later runs leave both alone, so an
 * operator's removals and revocations stick.
 */
public final class BundledPlugins {

    private static final System.Logger LOG = System.getLogger(BundledPlugins.class.getName());
    private static final String ROOT = "/bundled/";

    private BundledPlugins() {
    }

    public static void installOnFirstRun(StateDir state) throws IOException {
        List<String> entries = index();
        boolean freshPlugins = !Files.exists(state.plugins());
        boolean freshTrust = !Files.exists(state.trust().resolve("keys"));
        for (String entry : entries) {
            boolean trust = entry.startsWith("trust/");
            if (trust ? !freshTrust : !freshPlugins) {
                continue;
            }
            Path target = trust ? state.trust().resolve("keys").resolve(entry.substring("trust/".length()))
                    : state.plugins().resolve(entry.substring("plugins/".length()));
            Files.createDirectories(target.getParent());
            try (InputStream in = BundledPlugins.class.getResourceAsStream(ROOT + entry)) {
                if (in == null) {
                    throw new IOException("bundled resource " + entry + " is missing from the host jar");
                }
                Files.copy(in, target);
            }
            LOG.log(System.Logger.Level.INFO, "Installed bundled " + entry + " into " + target.getParent());
        }
        Files.createDirectories(state.plugins());
        Files.createDirectories(state.trust().resolve("keys"));
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

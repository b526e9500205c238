package ai.clawbot.host.skills;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.signing.JarFacts;
import ai.clawbot.signing.JarInspector;
import ai.clawbot.signing.PluginSignature;
import ai.clawbot.signing.PluginVerifier;
import ai.clawbot.signing.SemVer;
import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Installs plugins into {@code $OPENCLAW_STATE_DIR/plugins/} in two steps: {@link #prepare} reads the
 * source once (bounded) and verifies those bytes, giving a {@link PluginPreview} of what the plugin may
 * do; {@link #install} writes exactly those bytes, so a source swapped in between changes nothing.
 * Installing refuses a version older than the installed one or than the trust store's minimum, and
 * raises that minimum to the installed version (anti-rollback).
 */
public final class PluginInstaller {

    private final StateDir state;
    private final TrustStore trust;
    private final PluginGate gate;

    public PluginInstaller(StateDir state) throws IOException {
        this.state = state;
        this.trust = TrustStore.open(state.trust());
        this.gate = new PluginGate(PluginVerifier.create(trust), ai.clawbot.signing.CheckMemo.NONE,
                state.sandboxes().resolve("verified-plugins"));
        Files.createDirectories(state.plugins());
    }

    /** Either a verified plugin ready to install, or why not. */
    public sealed interface Prepared {
        record Ready(PluginPreview preview) implements Prepared {
        }

        record Refused(InstallOutcome.Refused refused) implements Prepared {
        }
    }

    /**
     * Reads and verifies every plugin a source names: a jar (signature beside it as {@code JAR.sig}), a
     * folder of such jars, or an http(s) URL of a jar (signature at {@code URL.sig}).
     */
    public List<Prepared> prepare(String source) {
        try {
            if (source.startsWith("http://") || source.startsWith("https://")) {
                return List.of(prepareUrl(source));
            }
            Path path = Path.of(source);
            if (Files.isDirectory(path)) {
                List<Prepared> out = new ArrayList<>();
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(path, "*.jar")) {
                    for (Path jar : jars) {
                        out.add(prepareFile(jar));
                    }
                }
                if (out.isEmpty()) {
                    return List.of(refused(source, "NOT_FOUND", "no *.jar files in " + path));
                }
                return out;
            }
            if (!Files.isRegularFile(path)) {
                return List.of(refused(source, "NOT_FOUND", "no such file: " + path));
            }
            return List.of(prepareFile(path));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage()
                    : e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
            return List.of(refused(source, "UNREADABLE", "cannot read " + source + ": " + why));
        }
    }

    private Prepared prepareFile(Path jar) throws IOException {
        byte[] sig;
        try {
            sig = PluginGate.readSignature(jar);
        } catch (PluginGate.SignatureTooLarge e) {
            return refused(jar.toString(), "MALFORMED_SIGNATURE", e.getMessage());
        }
        return examined(jar.toString(), PluginGate.readBounded(jar, JarInspector.MAX_JAR_BYTES), sig);
    }

    private Prepared prepareUrl(String url) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        byte[] jar = download(http, url, JarInspector.MAX_JAR_BYTES);
        if (jar == null) {
            return refused(url, "TOO_LARGE", "download is over " + JarInspector.MAX_JAR_BYTES + " bytes");
        }
        byte[] sig;
        try {
            sig = download(http, url + PluginSignature.SUFFIX, PluginSignature.MAX_BYTES);
            if (sig == null) {
                return refused(url, "MALFORMED_SIGNATURE", "signature is over " + PluginSignature.MAX_BYTES + " bytes");
            }
        } catch (NotFound e) {
            sig = null;
        }
        return examined(url, jar, sig);
    }

    private static final class NotFound extends IOException {
        NotFound(String url) {
            super("not found: " + url);
        }
    }

    private static byte[] download(HttpClient http, String url, long max) throws IOException {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() == 404) {
                    throw new NotFound(url);
                }
                if (r.statusCode() != 200) {
                    throw new IOException("GET " + url + " answered " + r.statusCode());
                }
                return PluginGate.readBounded(in, max);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted downloading " + url);
        }
    }

    /** Verifies bytes fetched elsewhere (a registry) exactly as a local jar is verified. */
    public Prepared prepareBytes(String source, byte[] jar, byte[] sig) throws IOException {
        return examined(source, jar, sig);
    }

    private Prepared examined(String source, byte[] jar, byte[] sig) throws IOException {
        PluginGate.Examined e = gate.examine(source, jar, sig);
        if (e instanceof PluginGate.Examined.Bad b) {
            return refused(source, b.refused().reason(), b.refused().message());
        }
        return new Prepared.Ready(((PluginGate.Examined.Good) e).preview());
    }

    private static Prepared refused(String source, String reason, String message) {
        return new Prepared.Refused(new InstallOutcome.Refused(source, reason, message));
    }

    /** Installs verified bytes. Synchronized: installs into one folder never interleave. */
    public synchronized InstallOutcome install(PluginPreview p) throws IOException {
        Optional<Installed> current = installed(p.id());
        String replaced = null;
        if (current.isPresent()) {
            int cmp = SemVer.parse(p.version()).compareTo(SemVer.parse(current.get().version()));
            if (cmp < 0) {
                return new InstallOutcome.Refused(p.id(), "DOWNGRADE", p.id() + "@" + p.version()
                        + " is older than the installed " + current.get().version() + " (downgrade refused)");
            }
            if (cmp == 0) {
                if (current.get().sha256().equals(p.jarSha256())) {
                    return new InstallOutcome.AlreadyInstalled(p);
                }
                return new InstallOutcome.Refused(p.id(), "VERSION_CONFLICT", p.id() + "@" + p.version()
                        + " is installed with different bytes; a changed plugin needs a new version");
            }
            replaced = current.get().version();
        }
        // Re-check the floor now: it may have been raised since prepare().
        Optional<SemVer> floor = trust.minimumVersion(p.id());
        if (floor.isPresent() && SemVer.parse(p.version()).compareTo(floor.get()) < 0) {
            return new InstallOutcome.Refused(p.id(), "DOWNGRADE", p.id() + "@" + p.version()
                    + " is older than the minimum accepted version " + floor.get());
        }
        Path jar = state.plugins().resolve(p.id() + "-" + p.version() + ".jar");
        writeAtomically(jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX), p.signature());
        writeAtomically(jar, p.jar());
        trust.raiseMinimumVersion(p.id(), p.version());
        if (current.isPresent() && !current.get().file().equals(jar)) {
            delete(current.get().file());
        }
        return new InstallOutcome.Installed(p, replaced);
    }

    /** Removes every installed jar (and signature) of a plugin id; false when none was installed. */
    public synchronized boolean remove(String id) throws IOException {
        boolean any = false;
        for (Installed i : installedAll()) {
            if (i.id().equals(id)) {
                delete(i.file());
                any = true;
            }
        }
        return any;
    }

    /** A jar in the plugins folder, by what its own descriptor says (not yet verified). */
    public record Installed(Path file, String id, String version, String sha256) {
    }

    public List<Installed> installedAll() throws IOException {
        List<Installed> out = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(state.plugins(), "*.jar")) {
            for (Path jar : jars) {
                byte[] b = PluginGate.readBounded(jar, JarInspector.MAX_JAR_BYTES);
                if (b == null) {
                    continue;
                }
                try {
                    JarFacts f = JarInspector.inspect(b);
                    if (SemVer.isValid(f.version())) {
                        out.add(new Installed(jar, f.pluginId(), f.version(), f.jarSha256()));
                    }
                } catch (IOException notAPlugin) {
                    // refused at load with its reason; it is not an installed version of anything
                }
            }
        }
        return out;
    }

    private Optional<Installed> installed(String id) throws IOException {
        return installedAll().stream().filter(i -> i.id().equals(id))
                .max((a, b) -> SemVer.parse(a.version()).compareTo(SemVer.parse(b.version())));
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        ai.clawbot.signing.AtomicFiles.replace(target, bytes);
    }

    private static void delete(Path jar) throws IOException {
        Files.deleteIfExists(jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX));
        Files.deleteIfExists(jar);
    }
}

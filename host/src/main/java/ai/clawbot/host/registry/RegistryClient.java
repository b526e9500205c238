package ai.clawbot.host.registry;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.InstalledPlugins;
import ai.clawbot.host.skills.PluginInstaller;
import ai.clawbot.host.skills.PluginPreview;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.signing.JarInspector;
import ai.clawbot.signing.PluginSignature;
import ai.clawbot.signing.RegistryIndex;
import ai.clawbot.signing.RegistryIndexes;
import ai.clawbot.signing.SemVer;
import ai.clawbot.signing.Sha256;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads one configured registry, trusting nothing it serves until checked: fetch the index with a size cap →
 * verify it (a key configured for this registry, serial never down, not expired) → fetch the jar with a size cap →
 * its hash equals the entry's → what the jar's manifest says equals what the entry claims → the install-time
 * verification of every jar (publisher key in the trust store, signature, floor) → refuse a downgrade → a preview
 * with the permission diff against the installed version. Nothing is written but the index's serial.
 */
public final class RegistryClient {

    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private final StateDir state;
    private final Registries.Registry registry;
    private final PluginInstaller installer;
    private final BoundedFetch fetch;
    private final Clock clock;

    private RegistryClient(StateDir state, Registries.Registry registry, PluginInstaller installer, BoundedFetch fetch, Clock clock) {
        this.state = state;
        this.registry = registry;
        this.installer = installer;
        this.fetch = fetch;
        this.clock = clock;
    }

    public static RegistryClient create(StateDir state, Registries.Registry registry, PluginInstaller installer,
                                        Duration deadline, Clock clock) {
        return new RegistryClient(state, registry, installer, BoundedFetch.create(deadline), clock);
    }

    public static RegistryClient create(StateDir state, Registries.Registry registry, PluginInstaller installer) {
        return create(state, registry, installer, DEFAULT_DEADLINE, Clock.systemUTC());
    }

    public Registries.Registry registry() {
        return registry;
    }

    /** A plugin from the registry, verified and ready to install, with what changes against the installed one. */
    public record Offer(RegistryIndex.Entry entry, PluginPreview preview, PermissionDiff diff) {
        /** The preview an operator reads before saying yes: the plugin's powers, then the diff. */
        public String describe() {
            return preview.describe() + "\n  " + diff.describe().replace("\n", "\n  ");
        }
    }

    /** The verified index. */
    public RegistryIndex index() throws BoundedFetch.Refused {
        byte[] bytes = fetch.get(resolve(RegistryFolder.INDEX), RegistryIndexes.MAX_INDEX_BYTES);
        byte[] sig;
        try {
            sig = fetch.get(resolve(RegistryFolder.INDEX_SIG), 64 * 1024);
        } catch (BoundedFetch.Refused e) {
            if (!"NOT_FOUND".equals(e.reason())) {
                throw e;
            }
            sig = null;
        }
        RegistryIndexes.Checked checked;
        try {
            checked = RegistryIndexes.verify(bytes, sig, registry.name(), registry.keys(), registry.stateFile(), clock.instant());
        } catch (IOException e) {
            throw new BoundedFetch.Refused("STATE_UNREADABLE", e.getMessage());
        }
        return switch (checked) {
            case RegistryIndexes.Checked.Accepted a -> a.index();
            case RegistryIndexes.Checked.Rejected r -> throw new BoundedFetch.Refused(r.reason(),
                    "registry " + registry.name() + ": " + r.message());
        };
    }

    /** The newest version of each plugin matching {@code query}, best first. */
    public List<RegistryIndex.Entry> search(String query, int limit) throws BoundedFetch.Refused {
        return RegistryServer.latest(index().plugins()).stream()
                .filter(e -> RegistryServer.score(e, query) > 0)
                .sorted(Comparator.comparingDouble((RegistryIndex.Entry e) -> RegistryServer.score(e, query)).reversed()
                        .thenComparing(RegistryIndex.Entry::id))
                .limit(Math.max(1, limit)).toList();
    }

    /** One plugin's entry: the version asked for, or the newest. */
    public RegistryIndex.Entry info(String id, Optional<String> version) throws BoundedFetch.Refused {
        return entry(index(), id, version);
    }

    /** Every version of a plugin the index lists, newest first. */
    public List<RegistryIndex.Entry> versions(String id) throws BoundedFetch.Refused {
        return index().plugins().stream().filter(e -> e.id().equals(id) && SemVer.isValid(e.version()))
                .sorted(Comparator.comparing((RegistryIndex.Entry e) -> SemVer.parse(e.version())).reversed()).toList();
    }

    private static RegistryIndex.Entry entry(RegistryIndex index, String id, Optional<String> version) throws BoundedFetch.Refused {
        List<RegistryIndex.Entry> all = index.plugins().stream().filter(e -> e.id().equals(id)).toList();
        Optional<RegistryIndex.Entry> e = version.isPresent()
                ? all.stream().filter(x -> x.version().equals(version.get())).findFirst()
                : RegistryServer.latest(all).stream().findFirst();
        return e.orElseThrow(() -> new BoundedFetch.Refused("NOT_FOUND", "registry has no plugin " + id
                + version.map(v -> "@" + v).orElse("")));
    }

    /** Fetches and verifies {@code id[@version]} (newest when no version), ready for the operator to confirm. */
    public Offer prepare(String id, Optional<String> version) throws BoundedFetch.Refused {
        return prepare(info(id, version), installedManifest(id));
    }

    /** {@link #prepare(String, Optional)} for an entry of an index already fetched and verified. */
    private Offer prepare(RegistryIndex.Entry e, Optional<SkillManifest> installed) throws BoundedFetch.Refused {
        String id = e.id();
        if (e.path() == null || !e.path().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.jar")) {
            throw new BoundedFetch.Refused("MALFORMED", "index entry for " + id + " has a bad path '" + e.path() + "'");
        }
        if (installed.isPresent() && SemVer.parse(e.version()).compareTo(SemVer.parse(installed.get().version())) < 0) {
            throw new BoundedFetch.Refused("DOWNGRADE", id + "@" + e.version() + " is older than the installed "
                    + installed.get().version() + " (downgrade refused)");
        }
        byte[] jar = fetch.get(resolve(e.path()), JarInspector.MAX_JAR_BYTES);
        String sha = Sha256.hex(jar);
        if (!sha.equals(e.jarSha256())) {
            throw new BoundedFetch.Refused("JAR_HASH_MISMATCH", id + "@" + e.version() + ": the jar served hashes to "
                    + sha + ", the signed index says " + e.jarSha256());
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(e.signature() == null ? "" : e.signature());
        } catch (IllegalArgumentException bad) {
            throw new BoundedFetch.Refused("MALFORMED_SIGNATURE", id + "@" + e.version() + ": the index's signature is not base64");
        }
        if (sig.length == 0 || sig.length > PluginSignature.MAX_BYTES) {
            throw new BoundedFetch.Refused("UNSIGNED", id + "@" + e.version() + ": the index carries no plugin signature");
        }
        RegistryIndex.Entry fromJar;
        try {
            fromJar = RegistryIndexes.entry(jar, sig, e.path());
        } catch (IOException bad) {
            throw new BoundedFetch.Refused("MANIFEST_MISMATCH", id + "@" + e.version() + ": " + bad.getMessage());
        }
        if (!fromJar.claims().equals(e.claims())) {
            throw new BoundedFetch.Refused("MANIFEST_MISMATCH", id + "@" + e.version()
                    + ": the jar's manifest differs from its index entry (what a reviewer read is not what would run)");
        }
        PluginInstaller.Prepared p;
        try {
            p = installer.prepareBytes(registry.name() + ":" + id + "@" + e.version(), jar, sig);
        } catch (IOException bad) {
            throw new BoundedFetch.Refused("UNREADABLE", bad.getMessage());
        }
        return switch (p) {
            case PluginInstaller.Prepared.Refused r -> throw new BoundedFetch.Refused(r.refused().reason(), r.refused().message());
            case PluginInstaller.Prepared.Ready r -> new Offer(e, r.preview(), PermissionDiff.between(installed, r.preview().manifest()));
        };
    }

    /** The newest version the registry has for an installed plugin, when newer than the installed one. */
    public Optional<Offer> update(String id) throws BoundedFetch.Refused {
        Optional<SkillManifest> installed = installedManifest(id);
        if (installed.isEmpty()) {
            throw new BoundedFetch.Refused("NOT_INSTALLED", "no installed plugin '" + id + "'");
        }
        Optional<RegistryIndex.Entry> newest = RegistryServer.latest(index().plugins().stream().filter(e -> e.id().equals(id)).toList())
                .stream().findFirst();
        if (newest.isEmpty() || SemVer.parse(newest.get().version()).compareTo(SemVer.parse(installed.get().version())) <= 0) {
            return Optional.empty();
        }
        return Optional.of(prepare(newest.get(), installed)); // the index and the installed manifest read once
    }

    /** The installed, verified manifest of a plugin id (the newest, when several files carry it). */
    public Optional<SkillManifest> installedManifest(String id) {
        try {
            return InstalledPlugins.scan(state).stream().flatMap(i -> i.manifest().stream())
                    .filter(m -> m.id().equals(id))
                    .max(Comparator.comparing(m -> SemVer.parse(m.version())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private URI resolve(String file) {
        return registry.url().resolve(file);
    }
}

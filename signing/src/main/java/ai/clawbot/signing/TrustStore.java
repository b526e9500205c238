package ai.clawbot.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trust store under {@code $OPENCLAW_STATE_DIR/trust/}:
 * <ul>
 * <li>{@code keys/<name>.pem}: pinned publisher keys, the only keys trusted (the JDK CA store is never used);</li>
 * <li>{@code revoked.json}: revoked key ids and jar hashes, each with a reason;</li>
 * <li>{@code min-versions.json}: the lowest version accepted per plugin id (anti-rollback);</li>
 * <li>{@code rotations/*.json}: key rotation statements ({@link KeyRotation}), each signed by both keys.</li>
 * </ul>
 * The trusted keys are the pinned ones plus every key a rotation statement hands over to from a trusted key
 * (re-verified at every lookup, so a statement dropped into the folder without both valid signatures counts
 * for nothing), minus revoked keys and keys whose rotation grace period has ended.
 * Everything is read fresh on every lookup, so a change on disk applies at the next install or load.
 */
public final class TrustStore {

    private final Path dir;
    private final Path keysDir;
    private final Clock clock;

    private TrustStore(Path trustDir, Clock clock) {
        this.dir = trustDir;
        this.keysDir = trustDir.resolve("keys");
        this.clock = clock;
    }

    public static TrustStore open(Path trustDir) throws IOException {
        return open(trustDir, Clock.systemUTC());
    }

    /** A trust store whose grace periods end by {@code clock}. */
    public static TrustStore open(Path trustDir, Clock clock) throws IOException {
        TrustStore store = new TrustStore(trustDir, clock);
        Files.createDirectories(store.keysDir);
        return store;
    }

    /** A trusted key, its id, and the name it was added under. */
    public record TrustedKey(String keyId, String name, PublicKey key) {
    }

    /** A revoked key id or jar hash, why, and when. */
    public record Revocation(String id, String reason, String at) {
    }

    /** The trust folder itself (for state kept beside the keys, such as the last registry index seen). */
    public Path directory() {
        return dir;
    }

    /** Every key trusted now: pinned, or handed over to by a valid rotation, not revoked, not retired. */
    public List<TrustedKey> keys() throws IOException {
        return rotations().trusted();
    }

    /** The rotation chains as they stand now (statements re-verified). */
    public KeyRotations.View rotations() throws IOException {
        return KeyRotations.view(pinned(), this, clock.instant());
    }

    /**
     * Installs a rotation statement (from {@code claw trust rotate}, or shipped in a registry index): it is
     * accepted only when its old key is trusted now (not revoked, not past a grace period), neither key is
     * revoked, and both signatures verify. Accepting the same statement again changes nothing.
     */
    public KeyRotations.Outcome acceptRotation(byte[] statementFile) throws IOException {
        return KeyRotations.accept(statementFile, this, clock.instant());
    }

    Path rotationsDir() {
        return dir.resolve("rotations");
    }

    /** The pinned keys ({@code keys/*.pem}) as they are on disk: a revoked key copied back is listed (and never trusted). */
    public List<TrustedKey> pinned() throws IOException {
        List<TrustedKey> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(keysDir, "*.pem")) {
            for (Path p : ds) {
                try {
                    PublicKey k = Keys.readPublic(Files.readString(p, StandardCharsets.US_ASCII));
                    String file = p.getFileName().toString();
                    out.add(new TrustedKey(Keys.keyId(k), file.substring(0, file.length() - 4), k));
                } catch (GeneralSecurityException e) {
                    System.getLogger(TrustStore.class.getName()).log(System.Logger.Level.WARNING,
                            "ignoring unreadable trusted key " + p + ": " + e.getMessage());
                }
            }
        }
        out.sort(java.util.Comparator.comparing(TrustedKey::name));
        return out;
    }

    public Optional<TrustedKey> find(String keyId) throws IOException {
        return keys().stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /**
     * Pins a key under a name (letters, digits, dot, dash, underscore). Refuses a revoked key, and a name
     * already used by a different key.
     */
    public TrustedKey add(PublicKey key, String name) throws IOException {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}") || name.startsWith(".")) {
            throw new IllegalArgumentException("bad key name '" + name + "': use letters, digits, '.', '-', '_'");
        }
        String keyId = Keys.keyId(key);
        if (revokedKey(keyId).isPresent()) {
            throw new IllegalArgumentException("key " + keyId + " is revoked; it cannot be trusted again");
        }
        Path file = keysDir.resolve(name + ".pem");
        if (Files.exists(file)) {
            Optional<TrustedKey> existing = pinned().stream().filter(k -> k.name().equals(name)).findFirst();
            if (existing.isPresent() && !existing.get().keyId().equals(keyId)) {
                throw new IllegalArgumentException("a different key is already trusted as '" + name + "'");
            }
        }
        Files.writeString(file, Keys.publicPem(key), StandardCharsets.US_ASCII);
        return new TrustedKey(keyId, name, key);
    }

    /** Revokes a key: it stops being trusted (its pin is removed) and can never be re-added. */
    public void revokeKey(String keyId, String reason) throws IOException {
        requireHex(keyId, "key id");
        for (TrustedKey k : pinned()) {
            if (k.keyId().equals(keyId)) {
                Files.deleteIfExists(keysDir.resolve(k.name() + ".pem"));
            }
        }
        addRevocation("keys", keyId, reason);
    }

    /** Revokes one jar by its SHA-256, whoever signed it. */
    public void revokeJar(String sha256, String reason) throws IOException {
        requireHex(sha256, "jar SHA-256");
        addRevocation("jars", sha256, reason);
    }

    public Optional<Revocation> revokedKey(String keyId) throws IOException {
        return revocation("keys", keyId);
    }

    public Optional<Revocation> revokedJar(String sha256) throws IOException {
        return revocation("jars", sha256);
    }

    public List<Revocation> revocations(String kind) throws IOException {
        List<Revocation> out = new ArrayList<>();
        for (JsonNode r : TrustFiles.read(dir.resolve("revoked.json")).path(kind)) {
            out.add(new Revocation(r.path("id").asText(), r.path("reason").asText(), r.path("at").asText()));
        }
        return out;
    }

    /** The lowest version accepted for each plugin id. */
    public Map<String, String> minimumVersions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        TrustFiles.read(dir.resolve("min-versions.json")).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public Optional<SemVer> minimumVersion(String pluginId) throws IOException {
        String v = minimumVersions().get(pluginId);
        return v == null ? Optional.empty() : Optional.of(SemVer.parse(v));
    }

    /** Raises a plugin's minimum version; a lower value than the current minimum is refused (no rollback). */
    public void raiseMinimumVersion(String pluginId, String version) throws IOException {
        SemVer v = SemVer.parse(version);
        Optional<SemVer> current = minimumVersion(pluginId);
        if (current.isPresent() && current.get().compareTo(v) > 0) {
            throw new IllegalArgumentException("minimum version of " + pluginId + " is " + current.get()
                    + "; it can only be raised");
        }
        ObjectNode all = TrustFiles.read(dir.resolve("min-versions.json"));
        all.put(pluginId, v.toString());
        TrustFiles.write(dir.resolve("min-versions.json"), all);
    }

    private Optional<Revocation> revocation(String kind, String id) throws IOException {
        return revocations(kind).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private void addRevocation(String kind, String id, String reason) throws IOException {
        if (revocation(kind, id).isPresent()) {
            return;
        }
        ObjectNode all = TrustFiles.read(dir.resolve("revoked.json"));
        ArrayNode list = all.withArray(kind);
        list.addObject().put("id", id).put("reason", reason == null || reason.isBlank() ? "unspecified" : reason)
                .put("at", Instant.now().toString());
        TrustFiles.write(dir.resolve("revoked.json"), all);
    }

    private static void requireHex(String s, String what) {
        if (s == null || !s.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(what + " must be 64 lowercase hex characters, got '" + s + "'");
        }
    }
}

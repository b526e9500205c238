package ai.clawbot.signing;

import ai.clawbot.signing.TrustStore.TrustedKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rotation statements of a trust store ({@code trust/rotations/<sha256>.json}): accepting one, and
 * working out which keys they make trusted now.
 */
public final class KeyRotations {

    private KeyRotations() {
    }

    /** One accepted hand-over: {@code name}'s key {@code oldKeyId} to {@code newKeyId}, OLD trusted until {@code graceUntil}. */
    public record Rotation(String name, String oldKeyId, String newKeyId, Instant graceUntil, boolean oldRetired) {
    }

    /** A stored statement that counts for nothing (unreadable, or its old key is not trusted, or a signature fails). */
    public record Ignored(String file, String reason) {
    }

    /** The trust store's keys with rotations applied, as of one instant. */
    public record View(List<TrustedKey> trusted, List<Rotation> chain, List<Ignored> ignored) {

        public Optional<TrustedKey> find(String keyId) {
            return trusted.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
        }

        /** The rotation that retired {@code keyId} (its grace period over), if any. */
        public Optional<Rotation> retired(String keyId) {
            return chain.stream().filter(r -> r.oldRetired() && r.oldKeyId().equals(keyId)).findFirst();
        }
    }

    /** How installing a statement ended. */
    public sealed interface Outcome {
        record Accepted(Rotation rotation, boolean alreadyKnown) implements Outcome {
        }

        /** {@code reason}: MALFORMED, REVOKED_KEY, UNTRUSTED_KEY or BAD_SIGNATURE. */
        record Refused(String reason, String message) implements Outcome {
        }
    }

    static View view(List<TrustedKey> pinned, TrustStore trust, Instant now) throws IOException {
        Set<String> revoked = new HashSet<>();
        trust.revocations("keys").forEach(r -> revoked.add(r.id()));
        Map<String, TrustedKey> reach = new LinkedHashMap<>();
        pinned.stream().filter(k -> !revoked.contains(k.keyId())).forEach(k -> reach.put(k.keyId(), k));
        List<Ignored> ignored = new ArrayList<>();
        List<Stored> pending = new ArrayList<>();
        for (Stored s : stored(trust.rotationsDir(), ignored)) {
            pending.add(s);
        }
        List<Rotation> chain = new ArrayList<>();
        // Closure: a statement applies once its old key is reachable; it may make the next one reachable.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Stored s = it.next();
                TrustedKey old = reach.get(s.statement().oldKeyId());
                if (old == null) {
                    continue;
                }
                it.remove();
                Optional<String> problem = s.rotation().problemWith(old.key());
                if (problem.isPresent()) {
                    ignored.add(new Ignored(s.file(), problem.get()));
                    continue;
                }
                String newId = s.statement().newKeyId();
                if (revoked.contains(newId)) {
                    ignored.add(new Ignored(s.file(), "new key " + newId + " is revoked"));
                    continue;
                }
                reach.putIfAbsent(newId, new TrustedKey(newId, old.name(), s.newKey()));
                chain.add(new Rotation(old.name(), old.keyId(), newId, s.graceUntil(), now.isAfter(s.graceUntil())));
                changed = true;
            }
        }
        pending.forEach(s -> ignored.add(new Ignored(s.file(), "old key " + s.statement().oldKeyId() + " is not trusted")));
        chain.stream().filter(Rotation::oldRetired).forEach(r -> reach.remove(r.oldKeyId()));
        List<TrustedKey> trusted = new ArrayList<>(reach.values());
        trusted.sort(java.util.Comparator.comparing(TrustedKey::name).thenComparing(TrustedKey::keyId));
        return new View(List.copyOf(trusted), List.copyOf(chain), List.copyOf(ignored));
    }

    static Outcome accept(byte[] bytes, TrustStore trust, Instant now) throws IOException {
        KeyRotation rotation;
        KeyRotation.Statement st;
        PublicKey newKey;
        try {
            rotation = KeyRotation.parse(bytes);
            st = rotation.statement();
            newKey = rotation.newKey();
        } catch (IOException e) {
            return new Outcome.Refused("MALFORMED", e.getMessage());
        }
        Optional<TrustStore.Revocation> oldRevoked = trust.revokedKey(st.oldKeyId());
        if (oldRevoked.isPresent()) {
            return new Outcome.Refused("REVOKED_KEY", "old key " + st.oldKeyId() + " was revoked " + oldRevoked.get().at()
                    + " (" + oldRevoked.get().reason() + "); a revoked key cannot hand over trust");
        }
        if (trust.revokedKey(st.newKeyId()).isPresent()) {
            return new Outcome.Refused("REVOKED_KEY", "new key " + st.newKeyId() + " is revoked");
        }
        View view = trust.rotations();
        Optional<TrustedKey> old = view.find(st.oldKeyId());
        if (old.isEmpty()) {
            Optional<Rotation> retired = view.retired(st.oldKeyId());
            return new Outcome.Refused("UNTRUSTED_KEY", retired.isPresent()
                    ? "old key " + st.oldKeyId() + " was rotated to " + retired.get().newKeyId() + "; its grace period ended "
                    + retired.get().graceUntil()
                    : "old key " + st.oldKeyId() + " is not trusted here; only a trusted key can hand over trust");
        }
        Optional<String> problem = rotation.problemWith(old.get().key());
        if (problem.isPresent()) {
            return new Outcome.Refused("BAD_SIGNATURE", problem.get());
        }
        Instant grace = Instant.parse(st.graceUntil());
        Rotation accepted = new Rotation(old.get().name(), st.oldKeyId(), Keys.keyId(newKey), grace, now.isAfter(grace));
        Path file = trust.rotationsDir().resolve(Sha256.hex(bytes) + ".json");
        if (Files.exists(file)) {
            return new Outcome.Accepted(accepted, true);
        }
        writeAtomically(file, bytes);
        return new Outcome.Accepted(accepted, false);
    }

    private record Stored(String file, KeyRotation rotation, KeyRotation.Statement statement, PublicKey newKey,
                          Instant graceUntil) {
    }

    private static List<Stored> stored(Path dir, List<Ignored> ignored) throws IOException {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                try {
                    KeyRotation r = KeyRotation.parse(Files.readAllBytes(p));
                    out.add(new Stored(name, r, r.statement(), r.newKey(), r.graceUntil()));
                } catch (IOException e) {
                    ignored.add(new Ignored(name, e.getMessage()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Stored::file));
        return out;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.replace(file, bytes);
    }
}

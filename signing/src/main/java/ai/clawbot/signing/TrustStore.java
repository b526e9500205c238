package ai.clawbot.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pinned publisher keys under {@code $OPENCLAW_STATE_DIR/trust/keys/}: one {@code <name>.pem} per key.
 * Only these keys are trusted; the JDK CA store is never consulted. Read fresh on every lookup so a
 * key removed on disk stops being trusted at the next load.
 */
public final class TrustStore {

    private final Path keysDir;

    private TrustStore(Path trustDir) {
        this.keysDir = trustDir.resolve("keys");
    }

    public static TrustStore open(Path trustDir) throws IOException {
        TrustStore store = new TrustStore(trustDir);
        Files.createDirectories(store.keysDir);
        return store;
    }

    /** A trusted key, its id, and the name it was added under. */
    public record TrustedKey(String keyId, String name, PublicKey key) {
    }

    public List<TrustedKey> keys() throws IOException {
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
        return out;
    }

    public Optional<TrustedKey> find(String keyId) throws IOException {
        return keys().stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /** Pins a key under a name (letters, digits, dot, dash, underscore). Idempotent for the same key. */
    public TrustedKey add(PublicKey key, String name) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("bad key name '" + name + "'");
        }
        Path file = keysDir.resolve(name + ".pem");
        Files.writeString(file, Keys.publicPem(key), StandardCharsets.US_ASCII);
        return new TrustedKey(Keys.keyId(key), name, key);
    }
}

package ai.clawbot.host.registry;

import ai.clawbot.signing.JarInspector;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSignature;
import ai.clawbot.signing.RegistryIndex;
import ai.clawbot.signing.RegistryIndexes;
import ai.clawbot.signing.Sha256;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A registry folder on the publisher's side: {@code index.json} + {@code index.json.sig} and the signed jars
 * ({@code <id>-<version>.jar} + {@code .sig}). Publishing adds one jar and re-signs the index with a raised serial
 * and a fresh expiry; the current index must verify with the publishing key first, so a tampered folder is never
 * re-signed.
 */
public final class RegistryFolder {

    public static final String INDEX = "index.json";
    public static final String INDEX_SIG = "index.json.sig";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private RegistryFolder(Path dir) {
        this.dir = dir;
    }

    public static RegistryFolder at(Path dir) {
        return new RegistryFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    /** What publishing did. */
    public record Published(RegistryIndex.Entry entry, RegistryIndex index) {
    }

    /** The index as it is on disk (unverified: the folder is the publisher's own), or none yet. */
    public Optional<RegistryIndex> index() throws IOException {
        Path f = dir.resolve(INDEX);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(Files.readAllBytes(f), RegistryIndex.class));
    }

    /**
     * Adds a signed jar ({@code JAR.sig} beside it) and re-signs the index with {@code key}.
     *
     * @throws IllegalArgumentException for a jar that cannot be published (unsigned, broken, a version already
     *                                  published with other bytes, an index signed by another key)
     */
    public synchronized Published publish(Path jar, KeyPair key, Duration validity, Instant now)
            throws IOException, GeneralSecurityException {
        Path sigFile = jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX);
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(sigFile)) {
            throw new IllegalArgumentException(jar + " and its signature " + sigFile.getFileName() + " are both needed; sign the jar first");
        }
        byte[] bytes = Files.readAllBytes(jar);
        if (bytes.length > JarInspector.MAX_JAR_BYTES) {
            throw new IllegalArgumentException(jar + " is over " + JarInspector.MAX_JAR_BYTES + " bytes");
        }
        byte[] sig = Files.readAllBytes(sigFile);
        RegistryIndex.Entry unnamed;
        try {
            unnamed = RegistryIndexes.entry(bytes, sig, "unnamed"); // the jar is inspected once; its file is named after it
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot publish " + jar.getFileName() + ": " + e.getMessage(), e);
        }
        String name = unnamed.id() + "-" + unnamed.version() + ".jar";
        RegistryIndex.Entry entry = unnamed.withPath(name);
        Files.createDirectories(dir);
        Optional<RegistryIndex> current = index();
        if (current.isPresent()) {
            requireSignedBy(key);
        }
        List<RegistryIndex.Entry> entries = new ArrayList<>();
        for (RegistryIndex.Entry e : current.map(RegistryIndex::plugins).orElse(List.of())) {
            if (e.id().equals(entry.id()) && e.version().equals(entry.version())) {
                if (!e.jarSha256().equals(entry.jarSha256())) {
                    throw new IllegalArgumentException(entry.id() + "@" + entry.version()
                            + " is already published with other bytes; publish a new version");
                }
                continue;
            }
            entries.add(e);
        }
        entries.add(entry);
        long serial = current.map(RegistryIndex::serial).orElse(0L) + 1;
        RegistryIndex next = RegistryIndexes.index(entries, serial, now, validity);
        write(dir.resolve(name + PluginSignature.SUFFIX), sig);
        write(dir.resolve(name), bytes);
        byte[] indexBytes = RegistryIndexes.toBytes(next);
        // Signature first, then the index: a reader between the two sees a mismatch and refuses, never a wrong pair accepted.
        write(dir.resolve(INDEX_SIG), RegistryIndexes.sign(indexBytes, key.getPrivate(), key.getPublic()));
        write(dir.resolve(INDEX), indexBytes);
        return new Published(entry, next);
    }

    private void requireSignedBy(KeyPair key) throws IOException, GeneralSecurityException {
        byte[] indexBytes = Files.readAllBytes(dir.resolve(INDEX));
        Path sigPath = dir.resolve(INDEX_SIG);
        if (!Files.exists(sigPath)) {
            throw new IllegalArgumentException(dir.resolve(INDEX) + " has no signature; refusing to re-sign an index nobody signed");
        }
        var sig = JSON.readTree(Files.readAllBytes(sigPath));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key.getPublic());
        s.update((RegistryIndex.FORMAT + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.update(indexBytes);
        boolean ok;
        try {
            ok = Keys.keyId(key.getPublic()).equals(sig.path("keyId").asText())
                    && s.verify(Base64.getDecoder().decode(sig.path("signature").asText()));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException("the current index (sha256 " + Sha256.hex(indexBytes)
                    + ") is not signed by this key; refusing to re-sign it");
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        ai.clawbot.signing.AtomicFiles.replace(target, bytes);
    }
}

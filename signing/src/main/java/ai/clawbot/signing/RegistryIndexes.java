package ai.clawbot.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds, signs and verifies registry indexes. The index signature is Ed25519 over
 * {@code "clawbot-registry-index/1\n" + indexBytes} (the exact bytes served), detached in {@code index.json.sig}.
 * Verification remembers, per signing key, the highest serial and its hash in
 * {@code trust/registry-state.json}.
 */
public final class RegistryIndexes {

    public static final int MAX_INDEX_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryIndexes() {
    }

    /** Lists every signed jar of a folder ({@code X.jar} + {@code X.jar.sig}); unsigned or broken jars are refused. */
    public static RegistryIndex build(Path folder, long serial, Instant now, Duration validity) throws IOException {
        List<RegistryIndex.Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path jar : jars) {
                Path sigFile = jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX);
                if (!Files.exists(sigFile)) {
                    throw new IOException(jar.getFileName() + " has no signature; sign it before indexing");
                }
                byte[] bytes = Files.readAllBytes(jar);
                byte[] sig = Files.readAllBytes(sigFile);
                SignatureStatement st = PluginSignature.parse(sig).statement();
                JarFacts facts = JarInspector.inspect(bytes);
                if (!facts.jarSha256().equals(st.jarSha256())) {
                    throw new IOException(jar.getFileName() + " does not match its signature");
                }
                entries.add(new RegistryIndex.Entry(facts.pluginId(), facts.version(), facts.jarSha256(), st.keyId(),
                        Base64.getEncoder().encodeToString(sig), jar.getFileName().toString()));
            }
        }
        entries.sort(Comparator.comparing(RegistryIndex.Entry::id).thenComparing(RegistryIndex.Entry::version));
        return new RegistryIndex(RegistryIndex.FORMAT, serial, now.toString(), now.plus(validity).toString(), entries);
    }

    public static byte[] toBytes(RegistryIndex index) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(index);
    }

    /** The detached signature file for the exact index bytes. */
    public static byte[] sign(byte[] indexBytes, PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(message(indexBytes));
        ObjectNode o = JSON.createObjectNode().put("format", RegistryIndex.FORMAT).put("keyId", Keys.keyId(publicKey))
                .put("signature", Base64.getEncoder().encodeToString(s.sign()));
        return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** How verifying an index ended. */
    public sealed interface Checked {
        record Accepted(RegistryIndex index, String signerName) implements Checked {
        }

        record Rejected(String reason, String message) implements Checked {
        }
    }

    /**
     * Verifies an index against the trust store and the last index seen from the same key. Accepting it
     * records its serial, so an older one is refused from then on.
     */
    public static Checked verify(byte[] indexBytes, byte[] sigBytes, TrustStore trust, Instant now) throws IOException {
        if (indexBytes == null || indexBytes.length > MAX_INDEX_BYTES) {
            return new Checked.Rejected("MALFORMED", "index is missing or over " + MAX_INDEX_BYTES + " bytes");
        }
        if (sigBytes == null) {
            return new Checked.Rejected("UNSIGNED", "the index has no signature (index.json.sig)");
        }
        JsonNode sig;
        try {
            sig = JSON.readTree(sigBytes);
        } catch (IOException e) {
            return new Checked.Rejected("MALFORMED_SIGNATURE", "index signature is not JSON");
        }
        if (sig == null || !RegistryIndex.FORMAT.equals(sig.path("format").asText())) {
            return new Checked.Rejected("MALFORMED_SIGNATURE", "index signature is not in format " + RegistryIndex.FORMAT);
        }
        String keyId = sig.path("keyId").asText();
        if (trust.revokedKey(keyId).isPresent()) {
            return new Checked.Rejected("REVOKED_KEY", "index signed by revoked key " + keyId);
        }
        Optional<TrustStore.TrustedKey> key = trust.find(keyId);
        if (key.isEmpty()) {
            return new Checked.Rejected("UNTRUSTED_KEY", "index signed by key " + keyId + ", which is not trusted");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key.get().key());
            s.update(message(indexBytes));
            if (!s.verify(Base64.getDecoder().decode(sig.path("signature").asText()))) {
                return new Checked.Rejected("BAD_SIGNATURE", "index signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return new Checked.Rejected("BAD_SIGNATURE", "index signature does not verify");
        }
        RegistryIndex index;
        try {
            index = JSON.readValue(indexBytes, RegistryIndex.class);
        } catch (IOException e) {
            return new Checked.Rejected("MALFORMED", "signed index is not a valid index: " + e.getMessage());
        }
        if (!RegistryIndex.FORMAT.equals(index.format())) {
            return new Checked.Rejected("MALFORMED", "index format is not " + RegistryIndex.FORMAT);
        }
        Instant expires;
        try {
            expires = Instant.parse(index.expiresAt());
        } catch (RuntimeException e) {
            return new Checked.Rejected("MALFORMED", "index has no valid expiresAt");
        }
        if (now.isAfter(expires)) {
            return new Checked.Rejected("EXPIRED", "index expired at " + expires + " (a stale or frozen mirror?)");
        }
        Path stateFile = trust.directory().resolve("registry-state.json");
        ObjectNode state = TrustFiles.read(stateFile);
        JsonNode seen = state.path(keyId);
        String sha = Sha256.hex(indexBytes);
        if (seen.isObject()) {
            long last = seen.path("serial").asLong();
            if (index.serial() < last) {
                return new Checked.Rejected("ROLLBACK", "index serial " + index.serial() + " is older than " + last + ", already seen");
            }
            if (index.serial() == last && !sha.equals(seen.path("sha256").asText())) {
                return new Checked.Rejected("ROLLBACK", "index serial " + last + " was already seen with different content");
            }
        }
        state.putObject(keyId).put("serial", index.serial()).put("sha256", sha).put("seenAt", now.toString());
        TrustFiles.write(stateFile, state);
        return new Checked.Accepted(index, key.get().name());
    }

    private static byte[] message(byte[] indexBytes) {
        byte[] prefix = (RegistryIndex.FORMAT + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] m = new byte[prefix.length + indexBytes.length];
        System.arraycopy(prefix, 0, m, 0, prefix.length);
        System.arraycopy(indexBytes, 0, m, prefix.length, indexBytes.length);
        return m;
    }
}

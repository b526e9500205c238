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
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.util.function.Function;

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
                entries.add(entry(Files.readAllBytes(jar), Files.readAllBytes(sigFile), jar.getFileName().toString()));
            }
        }
        return index(entries, serial, now, validity);
    }

    /** An index of these entries, sorted by id then version. */
    public static RegistryIndex index(List<RegistryIndex.Entry> entries, long serial, Instant now, Duration validity) {
        List<RegistryIndex.Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(RegistryIndex.Entry::id).thenComparing(e -> SemVer.isValid(e.version())
                ? SemVer.parse(e.version()) : SemVer.parse("0.0.0")));
        return new RegistryIndex(RegistryIndex.FORMAT, serial, now.toString(), now.plus(validity).toString(), sorted);
    }

    /**
     * The index entry of a signed jar, with the reviewer fields read from its own manifest. Refuses a jar that
     * does not match its signature. {@code path} is the jar's file name inside the registry folder.
     */
    public static RegistryIndex.Entry entry(byte[] jar, byte[] sig, String path) throws IOException {
        SignatureStatement st = PluginSignature.parse(sig).statement();
        JarFacts facts = JarInspector.inspect(jar);
        if (!facts.jarSha256().equals(st.jarSha256())) {
            throw new IOException(path + " does not match its signature");
        }
        RegistryIndex.Entry base = new RegistryIndex.Entry(facts.pluginId(), facts.version(), facts.jarSha256(), st.keyId(),
                Base64.getEncoder().encodeToString(sig), path);
        SkillManifest m;
        try {
            m = ManifestReader.read(new java.io.ByteArrayInputStream(facts.manifestBytes()));
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": its skill manifest cannot be read: " + e.getMessage());
        }
        return new RegistryIndex.Entry(base.id(), base.version(), base.jarSha256(), base.keyId(), base.signature(), path,
                m.description(), m.sandbox() == null ? null : m.sandbox().image(), facts.manifestSha256(),
                m.tools().stream().map(t -> new RegistryIndex.Tool(t.name(), t.effect().wire(), t.description())).toList(),
                new RegistryIndex.Access(m.permissions() == null ? "none" : m.permissions().workspace().wire(),
                        m.permissions() == null ? List.of() : m.permissions().secrets()),
                new RegistryIndex.Network(m.network().allow(), m.network().grants()));
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
        return verify(indexBytes, sigBytes, keyId -> {
            if (trust.revokedKey(keyId).isPresent()) {
                return new Signer.Revoked();
            }
            return trust.find(keyId).<Signer>map(k -> new Signer.Known(k.name(), k.key())).orElse(new Signer.Unknown());
        }, trust.directory().resolve("registry-state.json"), now);
    }

    /**
     * Verifies an index against the keys configured for one registry (index keys only: they vouch for the index,
     * never for a plugin), remembering the highest serial seen in {@code stateFile}.
     */
    public static Checked verify(byte[] indexBytes, byte[] sigBytes, String registryName, List<PublicKey> registryKeys,
                                 Path stateFile, Instant now) throws IOException {
        return verify(indexBytes, sigBytes, keyId -> registryKeys.stream().filter(k -> Keys.keyId(k).equals(keyId)).findFirst()
                .<Signer>map(k -> new Signer.Known(registryName, k)).orElse(new Signer.Unknown()), stateFile, now);
    }

    /** Who a key id is, for one verification. */
    sealed interface Signer {
        record Known(String name, PublicKey key) implements Signer {
        }

        record Unknown() implements Signer {
        }

        record Revoked() implements Signer {
        }
    }

    @FunctionalInterface
    interface SignerLookup {
        Signer find(String keyId) throws IOException;
    }

    private static Checked verify(byte[] indexBytes, byte[] sigBytes, SignerLookup signers, Path stateFile, Instant now)
            throws IOException {
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
        Signer signer = signers.find(keyId);
        if (signer instanceof Signer.Revoked) {
            return new Checked.Rejected("REVOKED_KEY", "index signed by revoked key " + keyId);
        }
        if (!(signer instanceof Signer.Known key)) {
            return new Checked.Rejected("UNTRUSTED_KEY", "index signed by key " + keyId + ", which is not trusted for this registry");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key.key());
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
        return new Checked.Accepted(index, key.name());
    }

    private static byte[] message(byte[] indexBytes) {
        byte[] prefix = (RegistryIndex.FORMAT + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] m = new byte[prefix.length + indexBytes.length];
        System.arraycopy(prefix, 0, m, 0, prefix.length);
        System.arraycopy(indexBytes, 0, m, prefix.length, indexBytes.length);
        return m;
    }
}

package ai.clawbot.host.secrets;

import ai.clawbot.host.secrets.SecretsException.Kind;
import ai.clawbot.signing.AtomicFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code vault.json}: the sealed values by name. Read whole; written atomically (owner-only temp file,
 * fsync, rename, fsync of the folder), so a reader sees the old vault or the new one, never half of one.
 *
 * <pre>{"version": 1, "cipher": "AES-256-GCM", "secrets": {"NAME": {"nonce": b64, "ciphertext": b64}}}</pre>
 */
final class VaultFile {

    static final int VERSION = 1;
    static final String CIPHER = "AES-256-GCM";
    private static final int TAG_BYTES = 16;

    // Two entries with one name must not be resolved as "the last one wins": refuse the file instead.
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private VaultFile() {
    }

    /** The entries, sorted by name; empty when the file does not exist yet. */
    static SortedMap<String, SealedValue> read(Path file) throws SecretsException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (JsonProcessingException e) {
            // The parser's own message may quote file content; the location is enough to find the damage.
            throw corrupt(file, "it is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new SecretsException(Kind.IO, "cannot read vault " + file + ": " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "it must hold a JSON object");
        }
        if (root.path("version").asInt(-1) != VERSION || !root.path("version").isInt()) {
            throw corrupt(file, "unsupported vault version " + root.path("version") + " (this gateway reads version " + VERSION + ")");
        }
        if (!CIPHER.equals(root.path("cipher").asText())) {
            throw corrupt(file, "unsupported cipher " + root.path("cipher") + " (expected " + CIPHER + ")");
        }
        JsonNode secrets = root.path("secrets");
        if (!secrets.isObject()) {
            throw corrupt(file, "\"secrets\" must be a JSON object");
        }
        SortedMap<String, SealedValue> entries = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : secrets.properties()) {
            if (!SecretNames.isValid(e.getKey())) {
                // Not echoed: a hand-edited file could hold anything in that position.
                throw corrupt(file, "it holds an entry whose name is not a valid secret name");
            }
            entries.put(e.getKey(), entry(file, e.getKey(), e.getValue()));
        }
        return entries;
    }

    private static SealedValue entry(Path file, String name, JsonNode node) throws SecretsException {
        try {
            byte[] nonce = Base64.getDecoder().decode(node.path("nonce").asText(""));
            byte[] ciphertext = Base64.getDecoder().decode(node.path("ciphertext").asText(""));
            if (nonce.length == VaultKey.NONCE_BYTES && ciphertext.length >= TAG_BYTES) {
                return new SealedValue(nonce, ciphertext);
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the same message as a wrong length.
        }
        throw corrupt(file, "the entry for " + name + " is malformed (nonce and ciphertext must be base64, nonce "
                + VaultKey.NONCE_BYTES + " bytes)");
    }

    static void write(Path file, SortedMap<String, SealedValue> entries) throws SecretsException {
        ObjectNode root = JSON.createObjectNode().put("version", VERSION).put("cipher", CIPHER);
        ObjectNode secrets = root.putObject("secrets");
        Base64.Encoder b64 = Base64.getEncoder();
        entries.forEach((name, sealed) -> secrets.putObject(name)
                .put("nonce", b64.encodeToString(sealed.nonce()))
                .put("ciphertext", b64.encodeToString(sealed.ciphertext())));
        try {
            // Owner-only from the first byte, fsync'd with its folder: a crash leaves the old vault or the new one.
            AtomicFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new SecretsException(Kind.IO, "cannot write vault " + file + ": " + e, e);
        }
    }

    private static SecretsException corrupt(Path file, String why) {
        return new SecretsException(Kind.CORRUPT, "vault " + file + " cannot be used: " + why + "; it was left unchanged");
    }
}

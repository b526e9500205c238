package ai.clawbot.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A detached plugin signature ({@code plugin.jar.sig}): the statement's exact JSON bytes and an Ed25519
 * signature over {@code "clawbot-plugin-signature/1\n" + statementBytes}. The domain prefix keeps a
 * plugin signature from being replayed as any other kind of signed message.
 */
public record PluginSignature(byte[] statementBytes, byte[] signature) {

    public static final String FORMAT = "clawbot-plugin-signature/1";
    public static final String SUFFIX = ".sig";
    /** A signature file is small; anything bigger is refused before parsing. */
    public static final int MAX_BYTES = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> STATEMENT_FIELDS = java.util.Set.of("pluginId", "version", "jarSha256",
            "manifestSha256", "image", "signedAt", "keyId");

    public byte[] signedMessage() {
        return signedMessage(statementBytes);
    }

    static byte[] signedMessage(byte[] statementBytes) {
        byte[] prefix = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] msg = new byte[prefix.length + statementBytes.length];
        System.arraycopy(prefix, 0, msg, 0, prefix.length);
        System.arraycopy(statementBytes, 0, msg, prefix.length, statementBytes.length);
        return msg;
    }

    /**
     * The signed statement: a JSON object of strings, unknown fields refused. Read from the tree by hand: Jackson's
     * record binding built its deserializer on every start, a tenth of verifying the first plugin.
     */
    public SignatureStatement statement() throws IOException {
        JsonNode o = JSON.readTree(statementBytes);
        if (o == null || !o.isObject()) {
            throw new IOException("signed statement is not a JSON object");
        }
        for (var names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!STATEMENT_FIELDS.contains(name)) {
                throw new IOException("signed statement has an unknown field '" + name + "'");
            }
        }
        return new SignatureStatement(field(o, "pluginId"), field(o, "version"), field(o, "jarSha256"),
                field(o, "manifestSha256"), field(o, "image"), field(o, "signedAt"), field(o, "keyId"));
    }

    private static String field(JsonNode statement, String name) throws IOException {
        JsonNode v = statement.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IOException("signed statement's " + name + " is not a string");
        }
        return v.textValue();
    }

    public byte[] toBytes() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("statement", Base64.getEncoder().encodeToString(statementBytes));
        o.put("signature", Base64.getEncoder().encodeToString(signature));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a signature file; any deviation from the format is an {@link IOException} with the reason. */
    public static PluginSignature parse(byte[] bytes) throws IOException {
        if (bytes.length > MAX_BYTES) {
            throw new IOException("signature file is " + bytes.length + " bytes, over the " + MAX_BYTES + " limit");
        }
        JsonNode o;
        try {
            o = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("signature file is not JSON");
        }
        if (o == null || !o.isObject() || !FORMAT.equals(o.path("format").asText())) {
            throw new IOException("signature file is not in format " + FORMAT);
        }
        try {
            return new PluginSignature(
                    Base64.getDecoder().decode(o.path("statement").asText()),
                    Base64.getDecoder().decode(o.path("signature").asText()));
        } catch (IllegalArgumentException e) {
            throw new IOException("signature file has bad base64: " + e.getMessage());
        }
    }
}

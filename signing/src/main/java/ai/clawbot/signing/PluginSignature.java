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

    public SignatureStatement statement() throws IOException {
        return JSON.readValue(statementBytes, SignatureStatement.class);
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

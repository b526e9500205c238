package ai.clawbot.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A key rotation statement ({@code clawbot-key-rotation/1}): "the publisher of OLD now signs with NEW; trust
 * OLD until {@code graceUntil}". The statement's exact JSON bytes are signed by <em>both</em> keys, each over
 * {@code "clawbot-key-rotation/1\n" + statementBytes}: OLD's signature says its holder hands over, NEW's says
 * its holder has the new key (so nobody can rotate a publisher to a key they do not hold, or to somebody
 * else's key).
 */
public record KeyRotation(byte[] statementBytes, byte[] oldSignature, byte[] newSignature) {

    public static final String FORMAT = "clawbot-key-rotation/1";
    public static final int MAX_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is signed. {@code newPublicKey} is the new key's X.509 encoding in base64. */
    public record Statement(String format, String oldKeyId, String newKeyId, String newPublicKey, String issuedAt,
                            String graceUntil) {
    }

    /** Signs a rotation from {@code oldKey} to {@code newKey}, OLD staying trusted for {@code grace}. */
    public static KeyRotation sign(KeyPair oldKey, KeyPair newKey, Instant now, Duration grace)
            throws GeneralSecurityException {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative");
        }
        String oldId = Keys.keyId(oldKey.getPublic());
        String newId = Keys.keyId(newKey.getPublic());
        if (oldId.equals(newId)) {
            throw new IllegalArgumentException("the old and the new key are the same key");
        }
        Statement st = new Statement(FORMAT, oldId, newId, Base64.getEncoder().encodeToString(newKey.getPublic().getEncoded()),
                now.toString(), now.plus(grace).toString());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(st);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new KeyRotation(bytes, signWith(oldKey.getPrivate(), bytes), signWith(newKey.getPrivate(), bytes));
    }

    public Statement statement() throws IOException {
        Statement st = JSON.readValue(statementBytes, Statement.class);
        if (!FORMAT.equals(st.format()) || st.oldKeyId() == null || st.newKeyId() == null || st.newPublicKey() == null
                || st.graceUntil() == null) {
            throw new IOException("rotation statement is incomplete or not in format " + FORMAT);
        }
        try {
            Instant.parse(st.graceUntil());
        } catch (RuntimeException e) {
            throw new IOException("rotation statement has no valid graceUntil");
        }
        return st;
    }

    public Instant graceUntil() throws IOException {
        return Instant.parse(statement().graceUntil());
    }

    /** The new key, checked against the key id the statement names. */
    public PublicKey newKey() throws IOException {
        Statement st = statement();
        try {
            PublicKey k = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(st.newPublicKey())));
            if (!Keys.keyId(k).equals(st.newKeyId())) {
                throw new IOException("rotation statement's new key does not have the id it names");
            }
            return k;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("rotation statement's new key is not an Ed25519 key");
        }
    }

    /**
     * Why this statement does not hold with {@code oldKey} as the old key, or empty when both signatures
     * verify (OLD's with {@code oldKey}, NEW's with the key the statement carries).
     */
    public Optional<String> problemWith(PublicKey oldKey) {
        try {
            Statement st = statement();
            if (!Keys.keyId(oldKey).equals(st.oldKeyId())) {
                return Optional.of("the statement is for old key " + st.oldKeyId());
            }
            if (st.oldKeyId().equals(st.newKeyId())) {
                return Optional.of("the old and the new key are the same key");
            }
            boolean oldOk = verifies(oldKey, oldSignature);
            boolean newOk = verifies(newKey(), newSignature);
            if (!oldOk || !newOk) {
                return Optional.of(oldOk ? "not signed by the new key (" + st.newKeyId() + "); both keys must sign"
                        : newOk ? "not signed by the old key (" + st.oldKeyId() + "); both keys must sign"
                        : "signed by neither key");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    public byte[] toBytes() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("statement", Base64.getEncoder().encodeToString(statementBytes));
        o.put("oldSignature", Base64.getEncoder().encodeToString(oldSignature));
        o.put("newSignature", Base64.getEncoder().encodeToString(newSignature));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a rotation file; any deviation from the format is an {@link IOException} with the reason. */
    public static KeyRotation parse(byte[] bytes) throws IOException {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new IOException("rotation statement is missing or over " + MAX_BYTES + " bytes");
        }
        JsonNode o;
        try {
            o = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("rotation statement is not JSON");
        }
        if (o == null || !o.isObject() || !FORMAT.equals(o.path("format").asText())) {
            throw new IOException("rotation statement is not in format " + FORMAT);
        }
        try {
            KeyRotation r = new KeyRotation(Base64.getDecoder().decode(o.path("statement").asText()),
                    Base64.getDecoder().decode(o.path("oldSignature").asText()),
                    Base64.getDecoder().decode(o.path("newSignature").asText()));
            r.statement();
            return r;
        } catch (IllegalArgumentException e) {
            throw new IOException("rotation statement has bad base64: " + e.getMessage());
        }
    }

    private static byte[] signWith(PrivateKey key, byte[] statementBytes) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(message(statementBytes));
        return s.sign();
    }

    private boolean verifies(PublicKey key, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message(statementBytes));
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] message(byte[] statementBytes) {
        byte[] prefix = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[prefix.length + statementBytes.length];
        System.arraycopy(prefix, 0, m, 0, prefix.length);
        System.arraycopy(statementBytes, 0, m, prefix.length, statementBytes.length);
        return m;
    }
}

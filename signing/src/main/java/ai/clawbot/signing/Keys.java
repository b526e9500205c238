package ai.clawbot.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * Ed25519 keys in standard encodings: PKCS#8 {@code PRIVATE KEY} and X.509 {@code PUBLIC KEY} PEM (JDK EdDSA).
 * Key id = SHA-256 of the public key's X.509 encoding, in hex.
 */
public final class Keys {

    private static final String ALG = "Ed25519";

    private Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALG).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 missing from the JDK", e);
        }
    }

    public static String keyId(PublicKey key) {
        return Sha256.hex(key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static PublicKey readPublic(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALG).generatePublic(new X509EncodedKeySpec(unpem("PUBLIC KEY", pem)));
    }

    public static PrivateKey readPrivate(String pem) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALG).generatePrivate(new PKCS8EncodedKeySpec(unpem("PRIVATE KEY", pem)));
    }

    /** A public key file: PEM, or an OpenSSH {@code ssh-ed25519} line (see {@link KeyFiles#readPublic(Path)}). */
    public static PublicKey readPublic(Path file) throws IOException, GeneralSecurityException {
        return KeyFiles.readPublic(file);
    }

    /**
     * Reads a private key, refusing one whose file others can read: a signing key must stay its owner's.
     */
    public static PrivateKey readPrivate(Path file) throws IOException, GeneralSecurityException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("private key " + file + " is readable by others ("
                    + PosixFilePermissions.toString(perms) + "); chmod 600 it first");
        }
        return readPrivate(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * A signing key pair from an unencrypted private key file (owner-only, checked); see
     * {@link KeyFiles#readPair(Path, Passphrase)} for encrypted and OpenSSH keys.
     */
    public static KeyPair readPair(Path privateKeyFile) throws IOException, GeneralSecurityException {
        return KeyFiles.readPair(privateKeyFile, Passphrase.none());
    }

    /** Writes a key pair as {@code NAME.key} (mode 0600) and {@code NAME.pub}. */
    public static void write(KeyPair pair, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path priv = dir.resolve(name + ".key");
        Files.deleteIfExists(priv);
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, privatePem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(name + ".pub"), publicPem(pair.getPublic()), StandardCharsets.US_ASCII);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String type, String pem) throws GeneralSecurityException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException("not a PEM " + type);
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new GeneralSecurityException("corrupt PEM " + type, ex);
        }
    }
}

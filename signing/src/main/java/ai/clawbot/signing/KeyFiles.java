package ai.clawbot.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * Ed25519 private key files in the formats publishers have: PKCS#8 PEM ({@code PRIVATE KEY}), encrypted
 * PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}: PBES2, scrypt + AES-256-CBC, BouncyCastle; OpenSSL reads it) and
 * OpenSSH's {@code openssh-key-v1} ({@code ~/.ssh/id_ed25519}, bcrypt-pbkdf + aes256-ctr when protected; Apache
 * MINA sshd reads it). Whatever the file, the result is a JDK Ed25519 key pair, so a key's id is the same.
 */
public final class KeyFiles {

    /** The private key file formats read. */
    public enum Format {
        PKCS8, ENCRYPTED_PKCS8, OPENSSH
    }

    private static final Provider BC = new BouncyCastleProvider();
    /** sshd announces its provider set-up at INFO on first use; a CLI prints nothing of it (strong ref keeps the level). */
    private static final java.util.logging.Logger SSHD_LOG = quiet(java.util.logging.Logger.getLogger("org.apache.sshd"));
    /** OpenSSL's own scrypt default (N=2^14, r=8, p=1: 16 MiB), so {@code openssl pkey} reads our files too. */
    private static final ScryptConfig SCRYPT = new ScryptConfig.Builder(1 << 14, 8, 1).withSaltLength(16).build();

    private KeyFiles() {
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger log) {
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    public static Format format(String text) throws KeyFileException {
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            return Format.ENCRYPTED_PKCS8;
        }
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            return Format.PKCS8;
        }
        if (text.contains("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            return Format.OPENSSH;
        }
        throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED,
                "not an Ed25519 private key in PKCS#8 PEM, encrypted PKCS#8 PEM or OpenSSH format");
    }

    public static Format format(Path file) throws IOException, KeyFileException {
        return format(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * Reads a signing key pair from a private key file of any supported format (owner-only, checked). The
     * passphrase is asked for only when the file is encrypted. The public half is derived from the private
     * key; a public key file beside it ({@code NAME.pub} for {@code NAME.key}, {@code id_ed25519.pub} for
     * {@code id_ed25519}) must be the same key.
     */
    public static KeyPair readPair(Path file, Passphrase passphrase) throws IOException, GeneralSecurityException {
        requireOwnerOnly(file);
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        PrivateKey priv = switch (format(text)) {
            case PKCS8 -> Keys.readPrivate(text);
            case ENCRYPTED_PKCS8 -> decrypt(text, passphrase.forKey(file));
            case OPENSSH -> readOpenSsh(file, passphrase);
        };
        PublicKey pub = publicOf(priv);
        Path beside = publicBeside(file);
        if (Files.isRegularFile(beside) && !Keys.keyId(readPublic(beside)).equals(Keys.keyId(pub))) {
            throw new KeyFileException(KeyFileException.Problem.PUBLIC_KEY_MISMATCH,
                    beside + " is not the public half of " + file);
        }
        return new KeyPair(pub, priv);
    }

    /** A public key from a PEM {@code PUBLIC KEY} file or an OpenSSH {@code ssh-ed25519 AAAA... comment} line. */
    public static PublicKey readPublic(Path file) throws IOException, GeneralSecurityException {
        return readPublic(Files.readString(file, StandardCharsets.US_ASCII));
    }

    public static PublicKey readPublic(String text) throws GeneralSecurityException {
        String line = text.strip();
        if (line.startsWith("ssh-") || line.startsWith("ecdsa-") || line.startsWith("sk-")) {
            if (!line.startsWith("ssh-ed25519 ")) {
                throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "only ssh-ed25519 keys sign plugins, not "
                        + line.substring(0, line.indexOf(' ') < 0 ? line.length() : line.indexOf(' ')));
            }
            try {
                return toJdk(PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null));
            } catch (IOException | IllegalArgumentException e) {
                throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "unreadable OpenSSH public key: " + e.getMessage(), e);
            }
        }
        return Keys.readPublic(text);
    }

    /** The encrypted PKCS#8 PEM of a key (PBES2: scrypt, AES-256-CBC). */
    public static String encryptedPem(PrivateKey key, char[] passphrase) throws GeneralSecurityException {
        if (passphrase == null || passphrase.length == 0) {
            throw new KeyFileException(KeyFileException.Problem.PASSPHRASE_NEEDED, "an empty passphrase protects nothing");
        }
        try {
            var encryptor = new JcePKCSPBEOutputEncryptorBuilder(SCRYPT, NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(BC).build(passphrase);
            byte[] der = new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(key.getEncoded()))
                    .build(encryptor).getEncoded();
            return Keys.pem("ENCRYPTED PRIVATE KEY", der);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot encrypt the key: " + e.getMessage(), e);
        }
    }

    /** Decrypts an encrypted PKCS#8 PEM; a wrong passphrase is {@link KeyFileException.Problem#WRONG_PASSPHRASE}. */
    public static PrivateKey decrypt(String pem, char[] passphrase) throws GeneralSecurityException {
        PrivateKeyInfo info;
        try {
            PKCS8EncryptedPrivateKeyInfo encrypted = new PKCS8EncryptedPrivateKeyInfo(Keys.unpem("ENCRYPTED PRIVATE KEY", pem));
            info = encrypted.decryptPrivateKeyInfo(new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BC).build(passphrase));
        } catch (PKCSException | RuntimeException e) {
            throw new KeyFileException(KeyFileException.Problem.WRONG_PASSPHRASE, "wrong passphrase (the key did not decrypt)", e);
        } catch (IOException e) {
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "corrupt encrypted key: " + e.getMessage(), e);
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new KeyFileException(KeyFileException.Problem.WRONG_PASSPHRASE, "wrong passphrase (the key did not decrypt)");
        }
        return toJdk(info);
    }

    /** The public half of an Ed25519 private key. */
    public static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        try {
            var params = (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(key.getEncoded()));
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(params.generatePublicKey());
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "not an Ed25519 private key", e);
        }
    }

    /**
     * Writes a private key file atomically and durably (a power cut never leaves it empty), owner-only from the first
     * byte.
     */
    public static void writePrivate(Path file, String pem) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.replace(file, pem.getBytes(StandardCharsets.US_ASCII));
    }

    static void requireOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("private key " + file + " is readable by others ("
                    + PosixFilePermissions.toString(perms) + "); chmod 600 it first");
        }
    }

    static Path publicBeside(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        return name.endsWith(".key")
                ? privateKeyFile.resolveSibling(name.substring(0, name.length() - 4) + ".pub")
                : privateKeyFile.resolveSibling(name + ".pub");
    }

    private static PrivateKey readOpenSsh(Path file, Passphrase passphrase) throws IOException, GeneralSecurityException {
        FilePasswordProvider ask = (session, resource, retryIndex) -> {
            if (retryIndex > 0) {
                return null;
            }
            try {
                return new String(passphrase.forKey(file));
            } catch (KeyFileException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        };
        List<KeyPair> pairs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, ask);
            if (loaded != null) {
                loaded.forEach(pairs::add); // decoding may be lazy: errors surface here, inside the try
            }
        } catch (UncheckedIOException e) {
            if (e.getCause().getCause() instanceof KeyFileException k) {
                throw k;
            }
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "unreadable OpenSSH key " + file + ": " + e.getMessage(), e);
        } catch (StreamCorruptedException e) {
            // openssh-key-v1 keeps two equal check words in the encrypted part: unequal means a wrong passphrase.
            throw new KeyFileException(KeyFileException.Problem.WRONG_PASSPHRASE, "wrong passphrase for " + file, e);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "unreadable OpenSSH key " + file + ": " + e.getMessage(), e);
        }
        if (pairs.size() != 1) {
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, file + " must hold exactly one key");
        }
        PrivateKey key = pairs.iterator().next().getPrivate();
        if (!"EdDSA".equalsIgnoreCase(key.getAlgorithm()) && !"Ed25519".equalsIgnoreCase(key.getAlgorithm())) {
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, file + " is an " + key.getAlgorithm()
                    + " key; only Ed25519 keys sign plugins");
        }
        return toJdk(PrivateKeyInfo.getInstance(key.getEncoded()));
    }

    /** A JDK key from any provider's Ed25519 key (RFC 8410 encoding; the PKCS#8 v2 public-key field dropped). */
    private static PrivateKey toJdk(PrivateKeyInfo info) throws GeneralSecurityException {
        try {
            byte[] v1 = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded();
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(v1));
        } catch (IOException e) {
            throw new KeyFileException(KeyFileException.Problem.UNSUPPORTED, "not an Ed25519 private key", e);
        }
    }

    private static PublicKey toJdk(PublicKey key) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    }
}

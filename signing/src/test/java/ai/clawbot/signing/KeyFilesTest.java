package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted PKCS#8 and OpenSSH keys (made by the real {@code ssh-keygen}) read as the same signing keys. */
class KeyFilesTest {

    private static final char[] PASS = "correct horse battery staple".toCharArray();

    @TempDir
    Path tmp;

    @Test
    void encryptedPkcs8RoundTripSignsWithTheSameKey() throws Exception {
        KeyPair pair = Keys.generate();
        String pem = KeyFiles.encryptedPem(pair.getPrivate(), PASS);
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY");
        Path file = tmp.resolve("alice.key");
        KeyFiles.writePrivate(file, pem);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyFiles.format(file)).isEqualTo(KeyFiles.Format.ENCRYPTED_PKCS8);

        KeyPair read = KeyFiles.readPair(file, Passphrase.of(PASS));
        assertThat(read.getPrivate().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Keys.keyId(read.getPublic())).isEqualTo(Keys.keyId(pair.getPublic()));
        assertThat(verifies(pair, sign(read, "hello"), "hello")).isTrue();
    }

    @Test
    void openSslReadsOurEncryptedKeyFileSoItIsTheStandardFormat() throws Exception {
        KeyPair pair = Keys.generate();
        Path file = tmp.resolve("std.key");
        KeyFiles.writePrivate(file, KeyFiles.encryptedPem(pair.getPrivate(), PASS));
        Files.writeString(tmp.resolve("pass"), new String(PASS));
        String out = run("openssl", "pkey", "-in", file.toString(), "-passin", "file:" + tmp.resolve("pass"), "-pubout");
        assertThat(Keys.keyId(Keys.readPublic(out))).isEqualTo(Keys.keyId(pair.getPublic()));
        String info = run("openssl", "asn1parse", "-in", file.toString());
        assertThat(info).contains(":PBES2").contains(":scrypt").contains("aes-256-cbc");
    }

    @Test
    void wrongPassphraseIsAClearErrorAndTheFileStaysAsItWas() throws Exception {
        Path file = tmp.resolve("bob.key");
        KeyFiles.writePrivate(file, KeyFiles.encryptedPem(Keys.generate().getPrivate(), PASS));
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> KeyFiles.readPair(file, Passphrase.of("wrong".toCharArray())))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(KeyFileException.Problem.WRONG_PASSPHRASE))
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> KeyFiles.readPair(file, Passphrase.none()))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(KeyFileException.Problem.PASSPHRASE_NEEDED))
                .hasMessageContaining("--passphrase-file");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void emptyPassphraseIsRefusedForEncryption() {
        assertThatThrownBy(() -> KeyFiles.encryptedPem(Keys.generate().getPrivate(), new char[0]))
                .isInstanceOf(KeyFileException.class);
    }

    @Test
    void unencryptedOpenSshKeyFromSshKeygenHasTheSameIdAsTheSameKeyInPem() throws Exception {
        Path key = sshKeygen("plain", "");
        KeyPair pair = KeyFiles.readPair(key, Passphrase.none());
        Keys.write(pair, tmp.resolve("pem"), "plain");
        KeyPair asPem = KeyFiles.readPair(tmp.resolve("pem/plain.key"), Passphrase.none());
        PublicKeyIds ids = new PublicKeyIds(key);
        assertThat(Keys.keyId(pair.getPublic()))
                .isEqualTo(Keys.keyId(asPem.getPublic()))
                .isEqualTo(Keys.keyId(Keys.readPublic(tmp.resolve("pem/plain.pub"))))
                .isEqualTo(ids.fromOpenSshPub())
                .isEqualTo(ids.fromRawBlob());
        assertThat(verifies(new KeyPair(KeyFiles.readPublic(key.resolveSibling("plain.pub")), null), sign(pair, "m"), "m")).isTrue();
    }

    @Test
    void passphraseProtectedOpenSshKeyNeedsItsPassphrase() throws Exception {
        Path key = sshKeygen("locked", "s3cret pass");
        assertThat(Files.readString(key)).contains("BEGIN OPENSSH PRIVATE KEY");
        KeyPair pair = KeyFiles.readPair(key, Passphrase.of("s3cret pass".toCharArray()));
        assertThat(Keys.keyId(pair.getPublic())).isEqualTo(new PublicKeyIds(key).fromOpenSshPub());

        assertThatThrownBy(() -> KeyFiles.readPair(key, Passphrase.of("nope".toCharArray())))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(KeyFileException.Problem.WRONG_PASSPHRASE));
        assertThatThrownBy(() -> KeyFiles.readPair(key, Passphrase.none()))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(KeyFileException.Problem.PASSPHRASE_NEEDED));
    }

    @Test
    void rsaOpenSshKeysAreRefusedByName() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("rsa"));
        run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "t", "-f", dir.resolve("id_rsa").toString());
        assertThatThrownBy(() -> KeyFiles.readPublic(dir.resolve("id_rsa.pub"))).hasMessageContaining("ssh-rsa");
        assertThatThrownBy(() -> KeyFiles.readPair(dir.resolve("id_rsa"), Passphrase.none())).hasMessageContaining("Ed25519");
    }

    @Test
    void aPublicKeyFileBesideThatIsAnotherKeyIsRefused() throws Exception {
        Keys.write(Keys.generate(), tmp, "mixed");
        Files.writeString(tmp.resolve("mixed.pub"), Keys.publicPem(Keys.generate().getPublic()));
        assertThatThrownBy(() -> KeyFiles.readPair(tmp.resolve("mixed.key"), Passphrase.none()))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.problem()).isEqualTo(KeyFileException.Problem.PUBLIC_KEY_MISMATCH));
    }

    /** The key id of an ssh-keygen key through its {@code .pub} line, and computed by hand from the raw key in it. */
    private record PublicKeyIds(Path privateKey) {
        String fromOpenSshPub() throws Exception {
            return Keys.keyId(KeyFiles.readPublic(privateKey.resolveSibling(privateKey.getFileName() + ".pub")));
        }

        /** SHA-256 of the RFC 8410 SubjectPublicKeyInfo (fixed 12-byte prefix + the 32 raw bytes of the .pub blob). */
        String fromRawBlob() throws Exception {
            String line = Files.readString(privateKey.resolveSibling(privateKey.getFileName() + ".pub"));
            byte[] blob = java.util.Base64.getDecoder().decode(line.split(" ")[1]);
            byte[] raw = java.util.Arrays.copyOfRange(blob, blob.length - 32, blob.length);
            byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
            byte[] all = java.util.Arrays.copyOf(spki, 44);
            System.arraycopy(raw, 0, all, 12, 32);
            return Sha256.hex(all);
        }
    }

    /** A key made by Debian's {@code ssh-keygen -t ed25519} (openssh-client); bcrypt-pbkdf + aes256-ctr when a passphrase is given. */
    static Path sshKeygen(Path dir, String name, String passphrase) throws Exception {
        Path key = Files.createDirectories(dir).resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name + "@test", "-f", key.toString());
        return key;
    }

    private Path sshKeygen(String name, String passphrase) throws Exception {
        return sshKeygen(tmp.resolve("ssh"), name, passphrase);
    }

    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
        return out;
    }

    private static byte[] sign(KeyPair pair, String message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return s.sign();
    }

    private static boolean verifies(KeyPair pair, byte[] sig, String message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(pair.getPublic());
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return s.verify(sig);
    }
}

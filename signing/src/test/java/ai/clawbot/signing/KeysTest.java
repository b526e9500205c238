package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

    @TempDir
    Path tmp;

    @Test
    void writeCreatesAnOwnerOnlyPrivateKeyAndAPublicKey() throws Exception {
        KeyPair pair = Keys.generate();

        Keys.write(pair, tmp.resolve("keys"), "publisher");

        Path priv = tmp.resolve("keys/publisher.key");
        Path pub = tmp.resolve("keys/publisher.pub");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(Keys.readPrivate(priv).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(Keys.readPublic(pub)).isEqualTo(pair.getPublic());
    }

    @Test
    void rewritingAKeyThatWasLoosenedMakesItOwnerOnlyAgain() throws Exception {
        Keys.write(Keys.generate(), tmp, "k");
        Files.setPosixFilePermissions(tmp.resolve("k.key"), PosixFilePermissions.fromString("rw-r--r--"));

        KeyPair second = Keys.generate();
        Keys.write(second, tmp, "k");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("k.key")))).isEqualTo("rw-------");
        assertThat(Keys.readPrivate(tmp.resolve("k.key")).getEncoded()).isEqualTo(second.getPrivate().getEncoded());
    }

    @Test
    void readPrivateRefusesAKeyFileOthersCanRead() throws Exception {
        Keys.write(Keys.generate(), tmp, "k");
        Path priv = tmp.resolve("k.key");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> Keys.readPrivate(priv))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("readable by others")
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void readPrivateRefusesAGroupReadableKeyFile() throws Exception {
        Keys.write(Keys.generate(), tmp, "k");
        Path priv = tmp.resolve("k.key");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> Keys.readPrivate(priv))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("readable by others");
    }

    @Test
    void pemRoundTripKeepsBothKeysUsableForSigning() throws Exception {
        KeyPair pair = Keys.generate();

        PublicKey pub = Keys.readPublic(Keys.publicPem(pair.getPublic()));
        PrivateKey priv = Keys.readPrivate(Keys.privatePem(pair.getPrivate()));

        assertThat(pub.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(priv.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(msg);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pair.getPublic());
        v.update(msg);
        assertThat(v.verify(sig)).isTrue();
    }

    @Test
    void pemLinesAreWrappedAt64Characters() {
        String pem = Keys.privatePem(Keys.generate().getPrivate());

        assertThat(pem.lines().filter(l -> !l.startsWith("-----"))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
    }

    @Test
    void readingAPrivateKeyAsPublicFailsWithTheExpectedType() {
        String privatePem = Keys.privatePem(Keys.generate().getPrivate());

        assertThatThrownBy(() -> Keys.readPublic(privatePem))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("not a PEM PUBLIC KEY");
    }

    @Test
    void corruptPemBodyIsRefused() {
        String pem = "-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> Keys.readPublic(pem)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void keyIdIsTheSha256OfTheX509EncodingIn64LowercaseHexAndStable() throws Exception {
        KeyPair pair = Keys.generate();

        String id = Keys.keyId(pair.getPublic());

        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(id).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded())));
        assertThat(Keys.keyId(Keys.readPublic(Keys.publicPem(pair.getPublic())))).isEqualTo(id);
        assertThat(Keys.keyId(Keys.generate().getPublic())).isNotEqualTo(id);
    }
}

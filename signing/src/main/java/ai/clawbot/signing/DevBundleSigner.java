package ai.clawbot.signing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;

/**
 * Build step: signs the bundled plugin jars with the local development key, generating that key on the
 * first build (it lives in {@code .dev-keys/}, git-ignored, never committed), and writes its public key
 * next to the jars so a fresh gateway can seed its trust store.
 * <p>
 * {@code DevBundleSigner KEYS_DIR BUNDLE_DIR}
 */
public final class DevBundleSigner {

    static final String KEY_NAME = "dev-publisher";

    private DevBundleSigner() {
    }

    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: DevBundleSigner KEYS_DIR BUNDLE_DIR");
        }
        Path keys = Path.of(args[0]);
        Path bundle = Path.of(args[1]);
        Path priv = keys.resolve(KEY_NAME + ".key");
        if (!Files.exists(priv)) {
            Keys.write(Keys.generate(), keys, KEY_NAME);
            System.out.println("[dev-sign] generated development signing key " + priv);
        }
        PrivateKey privateKey = Keys.readPrivate(priv);
        PublicKey publicKey = Keys.readPublic(keys.resolve(KEY_NAME + ".pub"));
        KeyPair pair = new KeyPair(publicKey, privateKey);
        Files.createDirectories(bundle.resolve("trust"));
        Files.writeString(bundle.resolve("trust").resolve(KEY_NAME + ".pem"), Keys.publicPem(pair.getPublic()));
        StringBuilder index = new StringBuilder("trust/" + KEY_NAME + ".pem\n");
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(bundle.resolve("plugins"), "*.jar")) {
            for (Path jar : jars) {
                PluginSignature sig = PluginSigner.sign(Files.readAllBytes(jar), pair.getPrivate(), pair.getPublic(), Instant.now());
                Files.write(jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX), sig.toBytes());
                index.append("plugins/").append(jar.getFileName()).append('\n')
                        .append("plugins/").append(jar.getFileName()).append(PluginSignature.SUFFIX).append('\n');
                System.out.println("[dev-sign] signed " + jar.getFileName() + " with key " + Keys.keyId(pair.getPublic()));
            }
        }
        // Classpath folders cannot be listed from inside a jar: the host reads this index instead.
        Files.writeString(bundle.resolve("index.txt"), index.toString());
    }
}

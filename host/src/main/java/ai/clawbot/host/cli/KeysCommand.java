package ai.clawbot.host.cli;

import ai.clawbot.signing.KeyFileException;
import ai.clawbot.signing.KeyFiles;
import ai.clawbot.signing.KeyRotation;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.Passphrase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Publisher signing keys (Ed25519).",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Encrypt.class, KeysCommand.Decrypt.class,
                KeysCommand.Rotate.class})
final class KeysCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate an Ed25519 key pair: NAME.key (PKCS#8 PEM, mode 0600; encrypted with a passphrase"
                    + " by default on a terminal) and NAME.pub (X.509 PEM).")
    static final class Generate implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "Folder to write the keys to.")
        Path out;

        @Option(names = "--name", defaultValue = "publisher", description = "Base file name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--encrypt", negatable = true,
                description = "Encrypt the private key with a passphrase (scrypt + AES-256). Default: on when a terminal"
                        + " is attached, or when --passphrase-file/--passphrase-env is given.")
        Boolean encrypt;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws Exception {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                System.err.println("claw: bad key name '" + name + "'");
                return 2;
            }
            Path priv = out.resolve(name + ".key");
            if (Files.exists(priv)) {
                System.err.println("claw: " + priv + " exists; not overwriting a key");
                return 2;
            }
            boolean encrypted = encrypt != null ? encrypt
                    : passphrase.file != null || passphrase.env != null || PassphraseOptions.terminal();
            KeyPair pair = Keys.generate();
            try {
                if (encrypted) {
                    char[] pass = passphrase.forNewKey(priv);
                    String pem = KeyFiles.encryptedPem(pair.getPrivate(), pass);
                    Arrays.fill(pass, '\0');
                    KeyFiles.writePrivate(priv, pem); // the plain key never touches the disk
                    Files.writeString(out.resolve(name + ".pub"), Keys.publicPem(pair.getPublic()), StandardCharsets.US_ASCII);
                } else {
                    Keys.write(pair, out, name);
                }
            } catch (KeyFileException e) {
                Files.deleteIfExists(priv);
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            System.out.println("private key: " + priv + " (mode 0600; " + (encrypted ? "encrypted" : "NOT encrypted") + "; keep it secret)");
            System.out.println("public key:  " + out.resolve(name + ".pub"));
            System.out.println("key id:      " + Keys.keyId(pair.getPublic()));
            return 0;
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = "Encrypt a PKCS#8 private key file in place with a passphrase (scrypt + AES-256).")
    static final class Encrypt implements Callable<Integer> {
        @Parameters(paramLabel = "KEY")
        Path key;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws Exception {
            try {
                KeyFiles.Format format = KeyFiles.format(key);
                if (format != KeyFiles.Format.PKCS8) {
                    System.err.println("claw: " + key + " is " + (format == KeyFiles.Format.OPENSSH
                            ? "an OpenSSH key: protect it with ssh-keygen -p" : "already encrypted") + "; nothing changed");
                    return 2;
                }
                KeyPair pair = KeyFiles.readPair(key, Passphrase.none());
                char[] pass = passphrase.forNewKey(key);
                String pem = KeyFiles.encryptedPem(pair.getPrivate(), pass);
                Arrays.fill(pass, '\0');
                KeyFiles.writePrivate(key, pem);
                System.out.println("encrypted " + key + " (key id " + Keys.keyId(pair.getPublic()) + ")");
                return 0;
            } catch (IOException | GeneralSecurityException e) {
                System.err.println("claw: " + e.getMessage() + "; nothing changed");
                return 1;
            }
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = "Remove the passphrase of an encrypted private key file (in place; plain PKCS#8, mode 0600).")
    static final class Decrypt implements Callable<Integer> {
        @Parameters(paramLabel = "KEY")
        Path key;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws Exception {
            try {
                if (KeyFiles.format(key) != KeyFiles.Format.ENCRYPTED_PKCS8) {
                    System.err.println("claw: " + key + " is not an encrypted PKCS#8 key; nothing changed");
                    return 2;
                }
                KeyPair pair = KeyFiles.readPair(key, passphrase.forReading());
                KeyFiles.writePrivate(key, Keys.privatePem(pair.getPrivate()));
                System.out.println("decrypted " + key + " (key id " + Keys.keyId(pair.getPublic()) + "); it is NOT protected now");
                return 0;
            } catch (IOException | GeneralSecurityException e) {
                System.err.println("claw: " + e.getMessage() + "; nothing changed");
                return 1;
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Write a rotation statement signed by both keys: gateways trusting OLD trust NEW for the same"
                    + " publisher, and stop trusting OLD after the grace period (install it with: claw trust rotate FILE).")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--old", required = true, description = "The key being replaced (any --key format).")
        Path oldKey;

        @Option(names = "--new", required = true, description = "The new key (any --key format).")
        Path newKey;

        @Option(names = "--grace", defaultValue = "30d",
                description = "How long OLD stays trusted: 30d, 12h, 0 or an ISO-8601 duration (default ${DEFAULT-VALUE}).")
        String grace;

        @Option(names = "--out", description = "Statement file (default: rotation-<old id prefix>-<new id prefix>.json).")
        Path out;

        @Mixin
        PassphraseOptions passphrase;

        @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "The new key's passphrase file.")
        Path newFile;

        @Option(names = "--new-passphrase-env", paramLabel = "NAME", description = "The new key's passphrase variable.")
        String newEnv;

        @Override
        public Integer call() throws Exception {
            Duration period;
            try {
                period = duration(grace);
            } catch (RuntimeException e) {
                System.err.println("claw: bad --grace '" + grace + "': use 30d, 12h, 0 or an ISO-8601 duration");
                return 2;
            }
            Optional<KeyPair> oldPair = SigningKeyOption.load(oldKey, passphrase);
            if (oldPair.isEmpty()) {
                return 2;
            }
            PassphraseOptions newPass = new PassphraseOptions();
            newPass.file = newFile != null || newEnv != null ? newFile : passphrase.file;
            newPass.env = newFile != null || newEnv != null ? newEnv : passphrase.env;
            Optional<KeyPair> newPair = SigningKeyOption.load(newKey, newPass);
            if (newPair.isEmpty()) {
                return 2;
            }
            KeyRotation rotation;
            try {
                rotation = KeyRotation.sign(oldPair.get(), newPair.get(), Instant.now(), period);
            } catch (IllegalArgumentException e) {
                System.err.println("claw: " + e.getMessage());
                return 2;
            }
            String oldId = Keys.keyId(oldPair.get().getPublic());
            String newId = Keys.keyId(newPair.get().getPublic());
            Path file = out != null ? out : Path.of("rotation-" + oldId.substring(0, 12) + "-" + newId.substring(0, 12) + ".json");
            Files.write(file, rotation.toBytes());
            System.out.println("rotation " + oldId + " -> " + newId + ", old key trusted until " + rotation.graceUntil());
            System.out.println("statement:   " + file + " (gateways: claw trust rotate " + file + ")");
            return 0;
        }

        static Duration duration(String text) {
            String t = text.strip();
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            if (t.matches("\\d+d")) {
                return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.matches("\\d+h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            Duration d = Duration.parse(t);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        }
    }
}

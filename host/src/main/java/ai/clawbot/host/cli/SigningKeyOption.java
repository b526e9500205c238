package ai.clawbot.host.cli;

import ai.clawbot.signing.KeyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The {@code --key} of signing commands: an Ed25519 private key (owner-only) as PKCS#8 PEM, encrypted PKCS#8
 * PEM or OpenSSH ({@code ~/.ssh/id_ed25519}); the passphrase is asked only for an encrypted one.
 */
final class SigningKeyOption {

    private SigningKeyOption() {
    }

    /** The key pair, or empty after telling the user why it cannot be used. */
    static Optional<KeyPair> load(Path key, PassphraseOptions passphrase) {
        try {
            return Optional.of(KeyFiles.readPair(key, passphrase.forReading()));
        } catch (IOException | GeneralSecurityException e) {
            System.err.println("claw: cannot use key " + key + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}

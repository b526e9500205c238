package ai.clawbot.host.cli;

import ai.clawbot.signing.Keys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Optional;

/** The {@code --key} of signing commands: NAME.key (owner-only) with NAME.pub beside it. */
final class SigningKeyOption {

    private SigningKeyOption() {
    }

    /** The key pair, or empty after telling the user why it cannot be used. */
    static Optional<KeyPair> load(Path key) {
        try {
            return Optional.of(Keys.readPair(key));
        } catch (IOException | GeneralSecurityException e) {
            System.err.println("claw: cannot use key: " + e.getMessage());
            return Optional.empty();
        }
    }
}

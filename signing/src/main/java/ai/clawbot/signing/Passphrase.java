package ai.clawbot.signing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the passphrase of an encrypted key file comes from: asked only when the file turns out to be
 * encrypted (a terminal prompt without echo, a file, an environment variable).
 */
@FunctionalInterface
public interface Passphrase {

    /** The passphrase for {@code keyFile}; a {@link KeyFileException} (PASSPHRASE_NEEDED) when there is none. */
    char[] forKey(Path keyFile) throws IOException, KeyFileException;

    /** For callers that cannot ask: an encrypted key is a clear error. */
    static Passphrase none() {
        return keyFile -> {
            throw new KeyFileException(KeyFileException.Problem.PASSPHRASE_NEEDED, keyFile + " is encrypted: give its"
                    + " passphrase (a terminal prompt, --passphrase-file FILE or --passphrase-env NAME)");
        };
    }

    static Passphrase of(char[] passphrase) {
        return keyFile -> passphrase.clone();
    }
}

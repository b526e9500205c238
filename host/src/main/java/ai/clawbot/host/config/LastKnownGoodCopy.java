package ai.clawbot.host.config;

import ai.clawbot.signing.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code openclaw.json.last-good} (same folder, mode 0600): a copy of the file as it last loaded or was written
 * valid, which the gateway runs on while the file itself is broken.
 */
final class LastKnownGoodCopy {

    private static final System.Logger LOG = System.getLogger(LastKnownGoodCopy.class.getName());

    private final Path config;
    private final Path file;

    /** The copy of {@code config}. */
    LastKnownGoodCopy(Path config) {
        this.config = config;
        this.file = config.resolveSibling(config.getFileName() + ".last-good");
    }

    Path file() {
        return file;
    }

    /** Makes the copy hold {@code bytes} (not rewritten when it does already). Best effort: a failure is logged. */
    void refresh(byte[] bytes) {
        try {
            byte[] current = AtomicFiles.readIfExists(file, ConfigStore.MAX_BYTES);
            if (current == null || !Arrays.equals(current, bytes)) {
                AtomicFiles.replace(file, bytes);
            }
        } catch (IOException e) {
            // Failing to refresh the backup must not fail a load or a write that succeeded.
            LOG.log(System.Logger.Level.WARNING, "cannot refresh the last-known-good copy {0}: {1}", file, e);
        }
    }

    /**
     * The copy, parsed and valid, to run on instead of the config that is {@code broken}.
     *
     * @throws ConfigException with {@code broken}'s problems, saying why the copy cannot stand in (missing,
     *                         unreadable or not valid either)
     */
    ConfigChecker.Parsed standIn(ConfigException broken, ConfigChecker checker) throws ConfigException {
        String why;
        try {
            byte[] bytes = AtomicFiles.readIfExists(file, ConfigStore.MAX_BYTES);
            if (bytes != null) {
                return checker.parseValid(file, bytes);
            }
            why = "there is no last-known-good copy at " + file;
        } catch (IOException e) {
            why = "the last-known-good copy cannot be read: " + e;
        } catch (ConfigException e) {
            why = "the last-known-good copy is not usable either: " + e.getMessage();
        }
        throw new ConfigException(config, broken.problems(), why);
    }
}

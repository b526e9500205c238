package ai.clawbot.host.sessions;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The file store against the {@link SessionStoreContract}. */
class FileSessionStoreContractTest extends SessionStoreContract {

    @TempDir
    Path state;

    @Override
    protected SessionStore open(Clock clock) {
        return FileSessionStore.open(state, clock);
    }
}

package ai.clawbot.host.sandbox;

import ai.clawbot.host.gateway.StateDir;
import ai.clawbot.signing.Sha256;
import java.nio.charset.StandardCharsets;

/** The {@code ai.clawbot.scope} label value of a state folder's sandboxes: its path's hash, so sweeps touch only its own. */
public final class SandboxScope {

    private SandboxScope() {
    }

    public static String of(StateDir state) {
        return Sha256.hex(state.root().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}

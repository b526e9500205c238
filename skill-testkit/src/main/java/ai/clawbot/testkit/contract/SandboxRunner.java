package ai.clawbot.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the contract reaches a skill in its real sandbox: the SPI a gateway implements (the host's tests do it
 * with the real gateway, its hardened Docker containers and {@code tools.invoke}). One runner serves one skill,
 * already verified and loaded; calls go through the whole production path.
 */
public interface SandboxRunner extends AutoCloseable {

    /** The skill manifest (YAML) exactly as the runner loaded it from the signed jar. */
    byte[] manifest();

    /** The host folder the sandbox mounts as {@code /workspace} (the contract plants its fixtures here). */
    Path workspace();

    /** Calls one tool with these arguments, as {@code tools.invoke} would. */
    CallOutcome call(String tool, JsonNode args);

    /**
     * Runs {@code ai.clawbot.plugin.runtime.SandboxProbe} with {@code args} inside the skill's live sandbox (the
     * container the last call ran in: same user, namespaces, network, mounts and limits) and returns its JSON
     * report. Fails when no sandbox of the skill is running.
     */
    JsonNode probe(List<String> args) throws IOException;

    /** Whether the sandbox with this id (from {@link CallOutcome}) still runs. */
    boolean running(String sandboxId);

    /** Values no sandbox may ever hold (the gateway token, the vault key, ...), by what they are. */
    Map<String, String> forbiddenValues();

    /** The values the runner gave the skill's declared secrets, by secret name (never to appear in env or output). */
    Map<String, String> secretValues();

    /** Host addresses (without port) a sandbox could try to reach the host on, e.g. its Docker bridge gateways. */
    default Set<String> hostAddresses() {
        return Set.of();
    }

    @Override
    void close() throws Exception;
}

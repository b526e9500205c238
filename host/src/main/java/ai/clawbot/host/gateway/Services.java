package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.ChatRuns;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.observe.GatewayMetrics;
import ai.clawbot.host.observe.LogRing;
import ai.clawbot.host.skills.SkillCatalog;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the gateway's transport reads from the services behind it: the method table, the runs, the HTTP doors'
 * handlers and the health of the store. The composition root ({@code ai.clawbot.host.wiring}) builds them through a
 * {@link Factory}; the gateway knows only this interface, so the dependency points one way (wiring → gateway).
 */
public interface Services extends AutoCloseable {

    MethodTable methods();

    ChatRuns runs();

    SkillCatalog catalog();

    /** The Control UI's microphone ({@code POST /api/voice/transcribe}); null when there is none. */
    default VoiceEndpoint voice() {
        return null;
    }

    /** The MCP door ({@code /mcp}); null when there is none. */
    default McpDoor mcp() {
        return null;
    }

    /** Null while the store can serve; else why not ({@code /readyz} turns 503). */
    default String storeProblem() {
        return null;
    }

    /** Warm sandbox containers, for {@code /metrics}. */
    default int warmSandboxes() {
        return 0;
    }

    /** Lets runs finish (up to {@code grace}). */
    void drain(Duration grace);

    @Override
    void close();

    /** Answers one MCP message (JSON-RPC over HTTP) for {@code agent} in {@code sessionKey}. */
    @FunctionalInterface
    interface McpDoor {
        void handle(AgentDefinition agent, String sessionKey, byte[] body, ServerResponse res) throws IOException;
    }

    /** What the gateway hands its services when its port is open. */
    record Startup(StateDir state, Gateway.Options options, ConfigStore config, AtomicReference<GatewaySettings> settings,
                   EventHub hub, LogRing logs, GatewayMetrics metrics) {
    }

    /** Builds the services (verifies skills, opens the store, ...) once the gateway's port is open. */
    @FunctionalInterface
    interface Factory {
        Services start(Startup startup) throws IOException;
    }
}

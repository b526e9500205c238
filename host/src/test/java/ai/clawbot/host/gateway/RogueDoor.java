package ai.clawbot.host.gateway;

import ai.clawbot.host.sandbox.DockerSandbox;
import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.ToolOutcome;

/**
 * A door that skips the gate, as a careless new method might: it exists only so that
 * {@code OneGateArchitectureTest} can show its rule catches such code (through the interface and through an
 * implementation's type). Never called.
 */
final class RogueDoor {

    private RogueDoor() {
    }

    static ToolOutcome throughTheInterface(Sandbox sandbox, SandboxCall call) {
        return sandbox.call(call);
    }

    static ToolOutcome throughTheImplementation(DockerSandbox sandbox, SandboxCall call) {
        return sandbox.call(call);
    }
}

package ai.clawbot.host.gateway;

import ai.clawbot.host.sandbox.Sandbox;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** {@code sandbox.list} (the warm sandboxes) and {@code sandbox.prune} (stop the idle ones now). */
public final class SandboxMethods {

    private final Sandbox sandbox;

    public SandboxMethods(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public List<MethodSpec> methods() {
        return List.of(MethodSpec.read("sandbox.list", p -> list()), MethodSpec.admin("sandbox.prune", p -> prune()));
    }

    private ObjectNode list() {
        ObjectNode out = Frames.JSON.createObjectNode();
        ArrayNode arr = out.putArray("sandboxes");
        for (Sandbox.Warm w : sandbox.warm()) {
            arr.addObject().put("agentId", w.agentId()).put("scope", w.scope()).put("skill", w.skill())
                    .put("policyHash", w.policyHash()).put("busy", w.busy());
        }
        return out;
    }

    private ObjectNode prune() {
        return Frames.JSON.createObjectNode().put("ok", true).put("stopped", sandbox.pruneIdle());
    }
}

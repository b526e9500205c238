package ai.clawbot.host.agents;

import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.ToolOutcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sandbox that runs nothing: it records each call and answers {@code ran <skill>.<tool> #n <args>}. */
final class RecordingSandbox implements Sandbox {

    final List<SandboxCall> calls = new CopyOnWriteArrayList<>();

    @Override
    public ToolOutcome call(SandboxCall call) {
        calls.add(call);
        return new ToolOutcome.Ok(resultText(call, calls.size()), null, false,
                new ToolOutcome.SandboxRun(null, "fake", 1));
    }

    static String resultText(SandboxCall call, int n) {
        return "ran " + call.skill().id() + "." + call.tool() + " #" + n + " " + call.args();
    }

    List<String> tools() {
        return calls.stream().map(c -> c.skill().id() + "." + c.tool()).toList();
    }
}

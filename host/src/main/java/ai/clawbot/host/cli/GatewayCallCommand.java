package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Call one gateway method and print its payload as JSON (exit 1 when the gateway answers an error).")
final class GatewayCallCommand implements Callable<Integer> {

    @Mixin
    GatewayTarget target;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "METHOD", description = "e.g. health, status, sessions.list")
    String method;

    @Parameters(index = "1", paramLabel = "PARAMS", defaultValue = "{}", description = "The params, a JSON object (default: {}).")
    String params;

    @Override
    public Integer call() {
        JsonNode p;
        try {
            p = Rpc.JSON.readTree(params);
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("claw: PARAMS is not JSON");
            return GatewayTarget.USAGE;
        }
        if (p == null || !p.isObject()) {
            spec.commandLine().getErr().println("claw: PARAMS must be a JSON object");
            return GatewayTarget.USAGE;
        }
        return target.withClient(spec.commandLine().getErr(), c -> {
            Rpc.print(spec.commandLine().getOut(), Rpc.call(c, method, p));
            return GatewayTarget.OK;
        });
    }
}

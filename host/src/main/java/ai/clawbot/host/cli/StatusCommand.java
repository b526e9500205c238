package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the running gateway's status.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    GatewayTarget target;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status payload as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return target.withClient(spec.commandLine().getErr(), c -> {
            JsonNode status = Rpc.call(c, "status", Rpc.params());
            if (json) {
                Rpc.print(out, status);
                return GatewayTarget.OK;
            }
            JsonNode health = Rpc.call(c, "health", Rpc.params());
            JsonNode agents = Rpc.call(c, "agents.list", Rpc.params());
            out.println("gateway: " + health.path("status").asText("?") + ", up " + health.path("uptimeMs").asLong() / 1000 + " s");
            status.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getKey().equals("status") && !e.getKey().equals("uptimeMs")) {
                    out.println(e.getKey() + ": " + e.getValue().asText());
                }
            });
            out.print("agent ids:");
            agents.path("agents").forEach(a -> out.print(" " + a.path("id").asText() + (a.path("default").asBoolean() ? "*" : "")));
            out.println();
            out.flush();
            return GatewayTarget.OK;
        });
    }
}

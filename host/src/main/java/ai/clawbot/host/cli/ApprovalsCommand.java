package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "approvals", mixinStandardHelpOptions = true, description = "Tool calls waiting for an operator's decision.",
        subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Approve.class, ApprovalsCommand.Deny.class})
final class ApprovalsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Pending approvals (and recent decisions with --json).")
    static final class ListApprovals implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the payload as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return target.withClient(spec.commandLine().getErr(), c -> {
                JsonNode p = Rpc.call(c, "approvals.list", Rpc.params());
                if (json) {
                    Rpc.print(out, p);
                    return GatewayTarget.OK;
                }
                for (JsonNode a : p.path("pending")) {
                    out.println(a.path("id").asText() + "  " + a.path("agentId").asText() + "  " + a.path("skill").asText() + "."
                            + a.path("tool").asText() + " (" + a.path("effect").asText() + ")  " + a.path("args"));
                }
                out.flush();
                return GatewayTarget.OK;
            });
        }
    }

    /** {@code approve ID} and {@code deny ID}: the same call, with the decision each subcommand names. */
    abstract static class Decide implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID")
        String id;

        abstract String decision();

        @Override
        public Integer call() {
            return resolve(target, spec, id, decision());
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a pending tool call.")
    static final class Approve extends Decide {
        @Override
        String decision() {
            return "approve";
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a pending tool call.")
    static final class Deny extends Decide {
        @Override
        String decision() {
            return "deny";
        }
    }

    static int resolve(GatewayTarget target, CommandSpec spec, String id, String decision) {
        return target.withClient(spec.commandLine().getErr(), c -> {
            Rpc.call(c, "approvals.resolve", Rpc.params().put("id", id).put("decision", decision));
            spec.commandLine().getOut().println(decision.equals("approve") ? "approved " + id : "denied " + id);
            spec.commandLine().getOut().flush();
            return GatewayTarget.OK;
        });
    }
}

package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sessions", mixinStandardHelpOptions = true, description = "The running gateway's sessions.",
        subcommands = SessionsCommand.ListSessions.class)
final class SessionsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sessions, most recent first.")
    static final class ListSessions implements Callable<Integer> {
        @Mixin
        GatewayTarget target;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the payload as JSON.")
        boolean json;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return target.withClient(spec.commandLine().getErr(), client -> Rpc.guarded(spec.commandLine().getErr(), c -> {
                JsonNode p = Rpc.call(c, "sessions.list", Rpc.params().put("limit", limit));
                if (json) {
                    Rpc.print(out, p);
                } else {
                    for (JsonNode s : p.path("sessions")) {
                        out.println(s.path("key").asText(s.path("sessionKey").asText()) + "  " + s.path("updatedAt").asText("")
                                + "  " + s.path("title").asText(s.path("label").asText("")));
                    }
                    out.flush();
                }
                return GatewayTarget.OK;
            }, client));
        }
    }
}

package ai.clawbot.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true, description = "The running gateway's recent log lines (logs.tail).")
final class LogsCommand implements Callable<Integer> {

    @Mixin
    GatewayTarget target;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Option(names = "--level", description = "Only lines at this level or above (e.g. WARNING).")
    String level;

    @Option(names = "--filter", description = "Only lines whose message or logger contains this text.")
    String filter;

    @Option(names = "--limit", defaultValue = "200", description = "Lines per read (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--interval", defaultValue = "500", description = "With -f: milliseconds between reads (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return target.withClient(spec.commandLine().getErr(), c -> {
            Long cursor = null;
            do {
                var params = Rpc.params().put("limit", limit);
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                if (level != null) {
                    params.put("level", level);
                }
                if (filter != null) {
                    params.put("filter", filter);
                }
                JsonNode tail = Rpc.call(c, "logs.tail", params);
                for (JsonNode l : tail.path("lines")) {
                    out.println(Instant.ofEpochMilli(l.path("ts").asLong()) + " " + l.path("level").asText() + " "
                            + l.path("logger").asText() + ": " + l.path("message").asText());
                }
                out.flush();
                cursor = tail.path("cursor").asLong();
                if (follow) {
                    try {
                        Thread.sleep(intervalMs); // logs.tail is a poll with a cursor; there is no log event to wait on
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return GatewayTarget.OK;
                    }
                }
            } while (follow);
            return GatewayTarget.OK;
        });
    }
}

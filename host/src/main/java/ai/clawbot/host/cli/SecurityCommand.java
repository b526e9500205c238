package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.security.AuditContext;
import ai.clawbot.host.security.AuditReport;
import ai.clawbot.host.security.SecurityAudit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "security", mixinStandardHelpOptions = true, description = "Security checks of this installation.",
        subcommands = {SecurityCommand.Audit.class})
final class SecurityCommand {

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = {"Audit openclaw.json, the state folder, the trust store, the plugins and the Docker engine.",
                    "Exit 0 when nothing is warn or worse, 1 otherwise."})
    static final class Audit implements Callable<Integer> {

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Option(names = "--deep", description = "Also inspect this state folder's live sandbox containers.")
        boolean deep;

        @Override
        public Integer call() throws Exception {
            StateDir state = StateDir.fromEnvironment(System.getenv());
            AuditReport report;
            try (AuditContext context = AuditContext.load(state, System.getenv(), deep)) {
                report = SecurityAudit.create().run(context);
            }
            if (json) {
                System.out.println(report.toJson().toPrettyString());
            } else {
                System.out.println("Security audit of " + state.root());
                System.out.print(report.toText());
            }
            return report.ok() ? 0 : 1;
        }
    }
}

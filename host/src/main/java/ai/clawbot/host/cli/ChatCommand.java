package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"An interactive session with an agent through the running gateway (line editing and history).",
                "Ctrl-C stops the running reply; Ctrl-D or /quit leaves.",
                "/new starts a new session, /agent ID switches agent, /approve ID and /deny ID decide a pending approval."})
final class ChatCommand implements Callable<Integer> {

    @Mixin
    GatewayTarget target;

    @Option(names = "--agent", description = "The agent to start with (default: the gateway's default agent).")
    String agent;

    @Option(names = "--session", description = "The session key to start in (default: the agent's main session).")
    String session;

    @Override
    public Integer call() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            PrintWriter out = terminal.writer();
            return target.withClient(out, client -> loop(client, terminal, out));
        }
    }

    private int loop(GatewayClient client, Terminal terminal, PrintWriter out) throws IOException {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("claw")
                .variable(LineReader.HISTORY_FILE, StateDir.fromEnvironment(System.getenv()).root().resolve("claw-chat.history"))
                .build();
        String agentId = agent != null ? agent : AgentCommand.defaultAgent(client);
        String key = AgentCommand.sessionKey(agentId, session);
        RunFollower runs = new RunFollower(client, out, out, false, true);
        AtomicReference<String[]> running = new AtomicReference<>();
        // Ctrl-C while a reply streams: abort that run (at the prompt, JLine turns it into UserInterruptException).
        terminal.handle(Terminal.Signal.INT, signal -> {
            String[] run = running.get();
            if (run != null) {
                Thread.ofVirtual().start(() -> runs.abort(run[0], run[1]));
            }
        });
        out.println("claw chat: agent " + agentId + ", session " + key + "  (/new, /agent ID, /approve ID, /deny ID, /quit)");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine(agentId + "> ");
            } catch (UserInterruptException e) {
                out.println("(Ctrl-D or /quit to leave)");
                out.flush();
                continue;
            } catch (EndOfFileException e) {
                return GatewayTarget.OK;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("/")) {
                String[] words = line.split("\\s+", 2);
                switch (words[0]) {
                    case "/quit", "/exit" -> {
                        return GatewayTarget.OK;
                    }
                    case "/new" -> {
                        key = "agent:" + agentId + ":chat-" + Long.toString(System.currentTimeMillis(), 36);
                        out.println("new session " + key);
                    }
                    case "/agent" -> {
                        if (words.length < 2) {
                            out.println("usage: /agent ID");
                        } else {
                            agentId = words[1].strip();
                            key = AgentCommand.sessionKey(agentId, null);
                            out.println("agent " + agentId + ", session " + key);
                        }
                    }
                    case "/approve", "/deny" -> {
                        if (words.length < 2) {
                            out.println("usage: " + words[0] + " ID");
                        } else {
                            try {
                                Rpc.call(client, "approvals.resolve", Rpc.params().put("id", words[1].strip())
                                        .put("decision", words[0].equals("/approve") ? "approve" : "deny"));
                                out.println(words[0].equals("/approve") ? "approved" : "denied");
                            } catch (Rpc.Failed f) {
                                out.println("claw: " + f.getMessage());
                            }
                        }
                    }
                    default -> out.println("unknown command " + words[0] + " (/new, /agent ID, /approve ID, /deny ID, /quit)");
                }
                out.flush();
                continue;
            }
            String runId;
            try {
                runId = runs.send(key, line);
            } catch (IOException e) {
                out.println("claw: " + e.getMessage());
                out.flush();
                if (client.closedBy() != null) {
                    return GatewayTarget.UNREACHABLE;
                }
                continue;
            }
            running.set(new String[] {key, runId});
            RunFollower.Outcome outcome;
            try {
                outcome = runs.follow(key, runId, request -> Optional.of(AgentCommand.yes(ask(reader))));
            } finally {
                running.set(null);
            }
            if (outcome instanceof RunFollower.Outcome.Failed && client.closedBy() != null) {
                return GatewayTarget.UNREACHABLE;
            }
        }
    }

    private static String ask(LineReader reader) {
        try {
            return reader.readLine("  approve? [y/N] ");
        } catch (UserInterruptException | EndOfFileException e) {
            return "n";
        }
    }
}

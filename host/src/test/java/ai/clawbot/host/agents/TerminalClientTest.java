package ai.clawbot.host.agents;

import static ai.clawbot.host.testkit.ScriptedChatModel.call;
import static ai.clawbot.host.testkit.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.ScriptedChatModel;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The terminal client ({@code claw agent}, {@code claw chat}, {@code claw approvals}, {@code claw gateway call},
 * {@code claw config}) as separate processes against one running gateway: the real WebSocket protocol, the real
 * approval queue and agent loop, only the model scripted. {@code claw chat} runs under a pseudo-terminal
 * ({@code script}) so that line editing, the approval prompt and Ctrl-C are what a person gets.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminalClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final AtomicReference<ScriptedChatModel> model = new AtomicReference<>(ScriptedChatModel.of());
    private Path state;
    private Gateway gateway;

    @BeforeAll
    void start() throws Exception {
        state = Files.createTempDirectory("claw-terminal");
        DemoSkills.install(state);
        Files.writeString(state.resolve("openclaw.json"), """
                // the operator's agent, in OpenClaw's JSON5
                {agents: {list: [{id: "ops", default: true, skills: ["demo"]}]}}
                """);
        gateway = TestGateway.start(state, Gateway.Options.defaults()
                .models(agent -> new StreamingModelCaller(model.get(), "scripted")).approvalTimeout(Duration.ofSeconds(60)));
    }

    /** Every claw process a test started: a failed test's process is ended with its children, never left running. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void endLeftoverProcesses() {
        for (Process p : STARTED) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        STARTED.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        TestGateway.deleteTree(state);
    }

    @Test
    void agentMessageStreamsTheReplyAndExitsZero() throws Exception {
        model.set(ScriptedChatModel.of(text("The tide turns at six.")));
        InProcess run = claw("agent", "--message", "When does the tide turn?").await();
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("The tide turns at six.");
    }

    @Test
    void agentMessageShowsTheToolCallAndWaitsForAnApprovalGivenFromAnotherTerminal() throws Exception {
        model.set(ScriptedChatModel.of(call("demo__send", "{\"to\":\"bob\"}"), text("Sent to bob.")));
        try (ProtocolClient watcher = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            InProcess agent = claw("agent", "--message", "send it to bob", "--session", "approvals");
            JsonNode requested = watcher.eventsUntil(e -> "approval.requested".equals(e.path("event").asText()), WAIT).getLast();
            String id = requested.at("/payload/id").asText();

            InProcess list = claw("approvals", "list").await();
            assertThat(list.exit).as(list.toString()).isZero();
            assertThat(list.out).contains(id).contains("demo.send").contains("external");
            InProcess approve = claw("approvals", "approve", id).await();
            assertThat(approve.exit).as(approve.toString()).isZero();
            assertThat(approve.out).contains("approved " + id);

            agent.await();
            assertThat(agent.exit).as(agent.toString()).isZero();
            assertThat(agent.err).contains("→ demo.send {\"to\":\"bob\"}").contains("approval needed: demo.send (external)")
                    .contains("claw approvals approve " + id).containsPattern("[✓✗] demo\\.send \\(");
            assertThat(agent.out).contains("Sent to bob.");
            JsonNode resolved = watcher.eventsUntil(e -> "approval.resolved".equals(e.path("event").asText()), WAIT).getLast();
            assertThat(resolved.at("/payload/decision").asText()).isEqualTo("approved");
        }
    }

    @Test
    void aWrongTokenIsRefusedWithExitThree() throws Exception {
        InProcess run = claw("agent", "--message", "hi", "--token", "wrong-token-0123456789abcdef").await();
        assertThat(run.exit).isEqualTo(3);
        assertThat(run.err).contains("the gateway refused the connection");
        assertThat(run.out).isEmpty();
    }

    /** The gateway answered (it refused the run): exit 1 with its reason, not 3 (which says it could not be reached). */
    @Test
    void aRunTheGatewayRefusesExitsOneWithItsReason() throws Exception {
        InProcess run = claw("agent", "--message", "hi", "--agent", "nosuch").await();
        assertThat(run.exit).as(run.toString()).isEqualTo(1);
        assertThat(run.err).contains("chat.send").contains("nosuch");
        assertThat(run.out).isEmpty();
    }

    @Test
    void gatewayCallStatusAndConfigGetSet() throws Exception {
        InProcess health = claw("gateway", "call", "health").await();
        assertThat(health.exit).as(health.toString()).isZero();
        assertThat(health.out).contains("\"ok\" : true");
        InProcess unknown = claw("gateway", "call", "no.such.method").await();
        assertThat(unknown.exit).isEqualTo(1);
        assertThat(unknown.err).contains("no.such.method");

        InProcess status = claw("status").await();
        assertThat(status.exit).as(status.toString()).isZero();
        assertThat(status.out).contains("gateway: live").contains("agent ids: ops*");

        InProcess set = claw("config", "set", "agents.defaults.maxIterations", "5").await();
        assertThat(set.exit).as(set.toString()).isZero();
        InProcess get = claw("config", "get", "agents.defaults.maxIterations").await();
        assertThat(get.out.strip()).isEqualTo("5");
        InProcess bad = claw("config", "set", "gateway.port", "'eighty'").await();
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.err).contains("$.gateway.port");

        InProcess sessions = claw("sessions", "list").await();
        assertThat(sessions.exit).as(sessions.toString()).isZero();
    }

    /** What is typed for the config means what it would in openclaw.json: the file's JSON5 reader and strict rules. */
    @Test
    void configValuesAndPatchesAreReadAsTheFileIs() throws Exception {
        InProcess plus = claw("config", "set", "agents.defaults.maxIterations", "+8").await();
        assertThat(plus.exit).as(plus.toString()).isZero();
        assertThat(claw("config", "get", "agents.defaults.maxIterations").await().out.strip()).isEqualTo("8");

        InProcess duplicate = claw("config", "patch", "{agents: {defaults: {maxIterations: 6, maxIterations: 7}}}").await();
        assertThat(duplicate.exit).as(duplicate.toString()).isEqualTo(2);
        assertThat(duplicate.err).contains("not valid JSON5 at line 1").contains("Duplicate field 'maxIterations'");
        assertThat(claw("config", "get", "agents.defaults.maxIterations").await().out.strip()).as("unchanged").isEqualTo("8");
    }

    @Test
    void chatThroughAPseudoTerminalAnswersAsksForApprovalAndAbortsOnCtrlC() throws Exception {
        model.set(ScriptedChatModel.of(text("Hello there."), call("demo__send", "{\"to\":\"eve\"}"), text("Not sent."),
                new ScriptedChatModel.Slow("tick", 400, 100)));
        Cli chat = clawInPty("chat");
        chat.expect("ops> ");
        chat.type("hi\n");
        chat.expect("Hello there.");
        chat.type("send it to eve\n");
        chat.expect("approve? [y/N]");
        assertThat(chat.out()).contains("→ demo.send").contains("approval needed: demo.send (external)");
        chat.type("n\n");
        chat.expect("Not sent.");
        assertThat(chat.out()).contains("denied");
        chat.type("count slowly\n");
        chat.expect("tick tick");
        chat.type("\u0003"); // Ctrl-C: the terminal sends SIGINT; claw chat aborts the run
        chat.expect("[aborted]");
        chat.type("/new\n");
        chat.expect("new session agent:ops:chat-");
        chat.type("/quit\n");
        chat.await();
        assertThat(chat.exit).as(chat.out()).isZero();
    }

    @Test
    void chatWithAWrongTokenSaysSoAndExitsThree() throws Exception {
        Cli chat = clawInPty("chat", "--token", "wrong-token-0123456789abcdef");
        chat.expect("the gateway refused the connection");
        chat.await();
        assertThat(chat.exit).as(chat.out()).isEqualTo(3);
    }

    @Test
    void logsAndConfigMigrate() throws Exception {
        InProcess logs = claw("logs", "--limit", "50").await();
        assertThat(logs.exit).as(logs.toString()).isZero();
        assertThat(logs.out).contains("INFO");
        Path openclaw = state.resolve("migrate.json");
        Files.writeString(openclaw, """
                {
                  channels: { telegram: { enabled: true } },
                  models: { providers: { local: { api: "openai-completions", baseUrl: "http://127.0.0.1:8000/v1",
                    models: [{ id: "m", contextWindow: 8192 }] } } },
                }
                """);
        InProcess migrate = new InProcess(new String[] {"config", "migrate", "--file", openclaw.toString()}).await();
        assertThat(migrate.exit).as(migrate.toString()).isZero();
        assertThat(migrate.out).contains("mapped  $.models.providers.local.api: openai-completions → openai-compatible")
                .contains("ignored $.channels (kept in the file)").contains("1 mapped, 1 ignored");
        Files.writeString(openclaw, "{models: {providers: {r: {api: 'openai-responses', baseUrl: 'http://h/v1'}}}}");
        InProcess refused = new InProcess(new String[] {"config", "migrate", "--file", openclaw.toString()}).await();
        assertThat(refused.exit).isEqualTo(1);
        assertThat(refused.out).contains("error   $.models.providers.r.api: no adapter serves api 'openai-responses'");
    }

    // ---- running claw: in this JVM (piped, not a terminal), or as a process on a pseudo-terminal ----

    /** {@code claw ARGS} in this JVM on its own thread, with its own stdout and stderr; not a terminal. */
    private InProcess claw(String... args) {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.addAll(List.of("--url", gateway.webSocketUri().toString()));
        if (!List.of(args).contains("--token")) {
            cmd.addAll(List.of("--token", TestGateway.TOKEN));
        }
        return new InProcess(cmd.toArray(String[]::new));
    }

    private static final class InProcess {
        final java.io.StringWriter stdout = new java.io.StringWriter();
        final java.io.StringWriter stderr = new java.io.StringWriter();
        final java.util.concurrent.CompletableFuture<Integer> code = new java.util.concurrent.CompletableFuture<>();
        int exit = -1;
        String out = "";
        String err = "";

        InProcess(String[] args) {
            Thread.ofVirtual().start(() -> code.complete(ai.clawbot.host.cli.Main.run(
                    new java.io.PrintWriter(stdout, true), new java.io.PrintWriter(stderr, true), args)));
        }

        InProcess await() throws Exception {
            exit = code.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            out = stdout.toString();
            err = stderr.toString();
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /** {@code claw ARGS} on a pseudo-terminal: util-linux {@code script} owns the pty and relays our bytes into it. */
    private Cli clawInPty(String... args) throws IOException {
        List<String> inner = new ArrayList<>(javaMain());
        inner.addAll(List.of(args));
        inner.addAll(List.of("--url", gateway.webSocketUri().toString()));
        if (!List.of(args).contains("--token")) {
            inner.addAll(List.of("--token", TestGateway.TOKEN));
        }
        String line = String.join(" ", inner.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        // SIGINT back to its default: a test JVM started in the background (nohup, `&` in a script) inherits it
        // ignored, and a JVM that starts with SIGINT ignored never sees the terminal's Ctrl-C.
        return new Cli(start(List.of("script", "-qfec", "stty cols 200 rows 50; exec env --default-signal=INT " + line,
                "/dev/null")));
    }

    private Process start(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OPENCLAW_STATE_DIR", state.resolve("client").toString());
        pb.environment().put("TERM", "xterm");
        return pb.start();
    }

    private static List<String> javaMain() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "ai.clawbot.host.cli.Main");
    }

    /** A running claw: its output collected as it comes, waited on by content, never by time. */
    private static final class Cli {
        final Process process;
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = -1;
        String out = "";
        String err = "";

        final List<Thread> pumps = new ArrayList<>();

        Cli(Process process) {
            this.process = process;
            STARTED.add(process);
            pumps.add(pump(process.getInputStream(), stdout));
            pumps.add(pump(process.getErrorStream(), stderr));
        }

        // Platform threads: a blocking pipe read pins a virtual thread's carrier, and a claw that never ends (a failed
        // test) would hold the carriers the next test's gateway needs to start.
        private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
            return Thread.ofPlatform().daemon().start(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (sink) {
                            sink.write(buf, 0, n);
                            sink.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        String out() {
            synchronized (stdout) {
                return stdout.toString(StandardCharsets.UTF_8);
            }
        }

        void type(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Waits until stdout has shown {@code text} since the previous expectation. */
        private int seen;

        void expect(String text) throws InterruptedException {
            Instant deadline = Instant.now().plus(WAIT);
            synchronized (stdout) {
                while (true) {
                    String all = stdout.toString(StandardCharsets.UTF_8);
                    int at = all.indexOf(text, seen);
                    if (at >= 0) {
                        seen = at + text.length();
                        return;
                    }
                    long left = Duration.between(Instant.now(), deadline).toMillis();
                    if (left <= 0) {
                        throw new AssertionError("no '" + text + "' in the output:\n" + all + "\n--- stderr:\n"
                                + stderr.toString(StandardCharsets.UTF_8));
                    }
                    stdout.wait(Math.min(left, 200));
                }
            }
        }

        Cli await() throws InterruptedException {
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("claw did not end:\n" + out() + "\n--- stderr:\n" + stderr.toString(StandardCharsets.UTF_8));
            }
            exit = process.exitValue();
            for (Thread pump : pumps) { // the last bytes: both streams read to their end
                pump.join(WAIT.toMillis());
            }
            out = out();
            synchronized (stderr) {
                err = stderr.toString(StandardCharsets.UTF_8);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }
}

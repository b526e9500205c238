package ai.clawbot.skills.workspace;

import static ai.clawbot.testkit.SkillHarness.args;
import static ai.clawbot.testkit.SkillHarness.writeFile;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec runs real processes here (sh, ls, echo, sleep from the machine), as it does in the sandbox image. */
class WorkspaceExecTest {

    @TempDir
    Path ws;

    private SkillHarness tools;

    @BeforeEach
    void setUp() {
        tools = SkillHarness.of(new WorkspaceSkill()).workspace(ws);
    }

    private JsonNode exec(Object... kv) throws ToolException {
        return tools.call("exec", args(kv)).structured();
    }

    @Test
    void runsInTheWorkspaceAndReturnsExitCodeAndOutput() throws Exception {
        writeFile(ws, "src/Main.java", "x");
        writeFile(ws, "README.md", "y");
        HarnessCall r = tools.call("exec", args("command", List.of("ls")));
        assertThat(r.structured().path("exitCode").asInt()).isZero();
        assertThat(r.structured().path("stdout").asText()).isEqualTo("README.md\nsrc\n");
        assertThat(r.structured().path("cwd").asText()).isEqualTo(".");
        assertThat(r.text()).startsWith("exit code 0 (").contains("--- stdout ---\nREADME.md\nsrc\n").doesNotContain("stderr");

        JsonNode sub = exec("command", List.of("ls"), "cwd", "src");
        assertThat(sub.path("stdout").asText()).isEqualTo("Main.java\n");
        assertThat(sub.path("cwd").asText()).isEqualTo("src");
    }

    @Test
    void argumentsArePassedVerbatimWithoutAShell() throws Exception {
        JsonNode r = exec("command", List.of("echo", "a; touch pwned", "$HOME", "*", "`id`"));
        assertThat(r.path("stdout").asText()).isEqualTo("a; touch pwned $HOME * `id`\n");
        assertThat(Files.exists(ws.resolve("pwned"))).isFalse();

        JsonNode shell = exec("command", List.of("sh", "-c", "echo one && echo two >&2; exit 3"));
        assertThat(shell.path("exitCode").asInt()).isEqualTo(3);
        assertThat(shell.path("stdout").asText()).isEqualTo("one\n");
        assertThat(shell.path("stderr").asText()).isEqualTo("two\n");
    }

    @Test
    void aFailingCommandIsAResultWithItsExitCodeAndStderr() throws Exception {
        HarnessCall r = tools.call("exec", args("command", List.of("ls", "no-such-file")));
        assertThat(r.structured().path("exitCode").asInt()).isNotZero();
        assertThat(r.structured().path("stderr").asText()).contains("no-such-file");
        assertThat(r.text()).startsWith("exit code " + r.structured().path("exitCode").asInt()).contains("--- stderr ---");
    }

    @Test
    void aCommandThatDoesNotExistIsATypedError() {
        ToolException e = tools.refuse("exec", args("command", List.of("no-such-program-xyz")));
        assertThat(e.code()).isEqualTo("EXEC_FAILED");
        assertThat(e.getMessage()).contains("no-such-program-xyz");
        assertThat(tools.refuse("exec", args("command", List.of(""))).code()).isEqualTo("BAD_COMMAND");
        assertThat(tools.refuse("exec", args("command", List.of("ls"), "cwd", "absent")).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void theTimeoutKillsTheCommandAndItsChildren() throws Exception {
        long t0 = System.nanoTime();
        JsonNode r = exec("command", List.of("sh", "-c", "echo started; sleep 30 & sleep 30; echo never"),
                "timeout_seconds", 1);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.path("timedOut").asBoolean()).isTrue();
        assertThat(r.path("exitCode").isNull()).isTrue();
        assertThat(r.path("stdout").asText()).isEqualTo("started\n");
        assertThat(ms).as("killed near the timeout, not after the sleeps").isLessThan(6_000);
        Process ps = new ProcessBuilder("sh", "-c", "ps -eo args | grep -c '^sleep 30$' || true").start();
        assertThat(new String(ps.getInputStream().readAllBytes()).trim()).as("no sleep survives").isEqualTo("0");
    }

    @Test
    void aBackgroundChildHoldingTheOutputOpenDoesNotHangTheCall() throws Exception {
        long t0 = System.nanoTime();
        JsonNode r = exec("command", List.of("sh", "-c", "sleep 5 & echo done"), "timeout_seconds", 20);
        assertThat(r.path("exitCode").asInt()).isZero();
        assertThat(r.path("stdout").asText()).isEqualTo("done\n");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
    }

    @Test
    void outputIsBoundedAndSaysSo() throws Exception {
        JsonNode r = exec("command", List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' 'x'; echo err >&2"));
        assertThat(r.path("exitCode").asInt()).isZero();
        assertThat(r.path("stdout").asText()).hasSize(WorkspaceSkill.MAX_OUTPUT_BYTES);
        assertThat(r.path("stdoutTruncated").asBoolean()).isTrue();
        assertThat(r.path("stderr").asText()).isEqualTo("err\n");
        assertThat(r.path("stderrTruncated").asBoolean()).isFalse();
    }

    @Test
    void stdinIsEmptySoACommandReadingItDoesNotWait() throws Exception {
        JsonNode r = exec("command", List.of("cat"), "timeout_seconds", 5);
        assertThat(r.path("timedOut").asBoolean()).isFalse();
        assertThat(r.path("exitCode").asInt()).isZero();
        assertThat(r.path("stdout").asText()).isEmpty();
    }
}

package ai.clawbot.host.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.cli.SecretsCommand;
import ai.clawbot.host.config.StateDir;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SecretsCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Map<String, String> env() {
        return Map.of("OPENCLAW_STATE_DIR", dir.resolve("state").toString());
    }

    private int run(byte[] stdin, String... args) {
        out.reset();
        err.reset();
        SecretsCommand cmd = new SecretsCommand(env(), new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = new CommandLine(cmd);
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    private int run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    private String resolved(String name) throws Exception {
        byte[] v = FileVault.open(StateDir.fromEnvironment(env()), env()).resolve(List.of(name)).get(name);
        return new String(v, StandardCharsets.UTF_8);
    }

    @Test
    void theCommandClawRegistersBuildsWithItsFourSubcommands() {
        CommandLine cl = new CommandLine(new SecretsCommand());
        assertThat(cl.getCommandName()).isEqualTo("secrets");
        assertThat(cl.getSubcommands()).containsOnlyKeys("set", "list", "remove", "check");
    }

    @Test
    void setReadsAllOfStdinAndStripsExactlyOneTrailingNewline() throws Exception {
        assertThat(run("tok-1\n", "set", "API_TOKEN")).isZero();
        assertThat(out.toString()).contains("stored secret API_TOKEN (5 bytes)").doesNotContain("tok-1");
        assertThat(resolved("API_TOKEN")).isEqualTo("tok-1");

        assertThat(run("line one\nline two\n\n", "set", "MULTI")).isZero();
        assertThat(resolved("MULTI")).isEqualTo("line one\nline two\n");
        assertThat(run("crlf\r\n", "set", "CRLF")).isZero();
        assertThat(resolved("CRLF")).isEqualTo("crlf");
    }

    @Test
    void setFromFileTakesTheBytesAsTheyAre() throws Exception {
        Path f = dir.resolve("value.txt");
        Files.writeString(f, "from-file\n");
        assertThat(run("ignored stdin", "set", "FILE_SECRET", "--from-file", f.toString())).isZero();
        assertThat(resolved("FILE_SECRET")).isEqualTo("from-file\n");

        assertThat(run("", "set", "NOPE", "--from-file", dir.resolve("absent").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
    }

    @Test
    void aValueIsNeverTakenFromTheCommandLine() {
        assertThat(run("", "set", "API_TOKEN", "hunter2")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument");
        assertThat(Files.exists(dir.resolve("state/secrets/vault.json"))).isFalse();
    }

    @Test
    void listPrintsNamesOnly() {
        assertThat(run("", "list")).isZero();
        assertThat(out.toString()).isEmpty();
        run("value-b", "set", "b");
        run("value-a", "set", "a");
        assertThat(run("", "list")).isZero();
        assertThat(out.toString()).isEqualTo("a" + System.lineSeparator() + "b" + System.lineSeparator());
    }

    @Test
    void removeExitsZeroThenOneWhenTheSecretIsGone() {
        run("v", "set", "GONE");
        assertThat(run("", "remove", "GONE")).isZero();
        assertThat(out.toString()).contains("removed secret GONE");
        assertThat(run("", "remove", "GONE")).isEqualTo(1);
        assertThat(err.toString()).contains("no secret named GONE");
    }

    @Test
    void badInputExitsTwoWithTheReason() {
        assertThat(run("v", "set", "bad name")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid secret name 'bad name'");
        assertThat(run("\n", "set", "EMPTY")).isEqualTo(2);
        assertThat(err.toString()).contains("is empty");
        assertThat(run(new byte[FileVault.MAX_VALUE_BYTES + 1], "set", "BIG")).isEqualTo(2);
        assertThat(err.toString()).contains("more than 65536 bytes");
        assertThat(run("", "remove", "../x")).isEqualTo(2);
        assertThat(run("", "set")).isEqualTo(2);
    }

    @Test
    void anUnusableVaultExitsOneWithTheReason() throws Exception {
        run("v", "set", "A");
        Files.setPosixFilePermissions(dir.resolve("state/secrets/vault.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        assertThat(run("w", "set", "B")).isEqualTo(1);
        assertThat(err.toString()).contains("accessible by group or others");
    }
}

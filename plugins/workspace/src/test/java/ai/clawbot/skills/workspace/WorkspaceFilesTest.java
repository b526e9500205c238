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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list, read, write and edit on a real folder: what they return, and that refusals change nothing. */
class WorkspaceFilesTest {

    @TempDir
    Path ws;

    private SkillHarness tools;

    @BeforeEach
    void setUp() {
        tools = SkillHarness.of(new WorkspaceSkill()).workspace(ws);
    }

    @Test
    void writeCreatesFoldersThenReadReturnsTheContentAndWriteReplacesIt() throws Exception {
        HarnessCall created = tools.call("write", args("path", "src/main/App.java", "content", "class App {}\n"));
        assertThat(created.structured().path("created").asBoolean()).isTrue();
        assertThat(created.structured().path("path").asText()).isEqualTo("src/main/App.java");
        assertThat(created.structured().path("bytes").asInt()).isEqualTo(13);
        assertThat(Files.readString(ws.resolve("src/main/App.java"))).isEqualTo("class App {}\n");

        HarnessCall read = tools.call("read", args("path", "src/main/App.java"));
        assertThat(read.text()).isEqualTo("class App {}\n");
        assertThat(read.structured().path("content").asText()).isEqualTo("class App {}\n");

        HarnessCall replaced = tools.call("write", args("path", "src/main/App.java", "content", "ünïcode ✓"));
        assertThat(replaced.structured().path("created").asBoolean()).isFalse();
        assertThat(replaced.text()).startsWith("replaced src/main/App.java");
        assertThat(Files.readString(ws.resolve("src/main/App.java"))).isEqualTo("ünïcode ✓");
        try (Stream<Path> s = Files.list(ws.resolve("src/main"))) {
            assertThat(s).as("no temporary file is left beside it").containsExactly(ws.resolve("src/main/App.java"));
        }
    }

    @Test
    void replacingAFileKeepsItsPermissions() throws Exception {
        Path script = writeFile(ws, "run.sh", "#!/bin/sh\necho old\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        tools.call("write", args("path", "run.sh", "content", "#!/bin/sh\necho new\n"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
        tools.call("edit", args("path", "run.sh", "old_string", "new", "new_string", "newer"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
        assertThat(Files.readString(script)).isEqualTo("#!/bin/sh\necho newer\n");
    }

    @Test
    void editReplacesTheOneExactMatchAndSaysWhichLine() throws Exception {
        writeFile(ws, "a.txt", "alpha\nbeta\ngamma\n");
        HarnessCall r = tools.call("edit", args("path", "a.txt", "old_string", "beta\ngamma", "new_string", "BETA\nGAMMA"));
        assertThat(r.structured().path("line").asInt()).isEqualTo(2);
        assertThat(r.text()).isEqualTo("edited a.txt at line 2");
        assertThat(Files.readString(ws.resolve("a.txt"))).isEqualTo("alpha\nBETA\nGAMMA\n");
    }

    @Test
    void editWithNoMatchOrSeveralMatchesIsRefusedAndTheFileIsUntouched() throws Exception {
        Path f = writeFile(ws, "a.txt", "x = 1\ny = 1\n");
        ToolException none = tools.refuse("edit", args("path", "a.txt", "old_string", "z = 1", "new_string", "z = 2"));
        assertThat(none.code()).isEqualTo("NO_MATCH");
        assertThat(none.getMessage()).contains("not found in 'a.txt'");

        ToolException two = tools.refuse("edit", args("path", "a.txt", "old_string", "= 1", "new_string", "= 2"));
        assertThat(two.code()).isEqualTo("AMBIGUOUS_MATCH");
        assertThat(two.getMessage()).contains("occurs 2 times");

        Path aaa = writeFile(ws, "aaa.txt", "aaa");
        ToolException overlapping = tools.refuse("edit", args("path", "aaa.txt", "old_string", "aa", "new_string", "b"));
        assertThat(overlapping.code()).as("overlapping matches count too").isEqualTo("AMBIGUOUS_MATCH");
        assertThat(Files.readString(aaa)).isEqualTo("aaa");
        ToolException same = tools.refuse("edit", args("path", "a.txt", "old_string", "x", "new_string", "x"));
        assertThat(same.code()).isEqualTo("BAD_EDIT");
        ToolException missing = tools.refuse("edit", args("path", "nope.txt", "old_string", "x", "new_string", "y"));
        assertThat(missing.code()).isEqualTo("NOT_FOUND");

        assertThat(Files.readString(f)).isEqualTo("x = 1\ny = 1\n");
        assertThat(Files.exists(ws.resolve("nope.txt"))).isFalse();
    }

    @Test
    void readRefusesFoldersBinaryAndOversizedFilesWithTypedErrors() throws Exception {
        Files.createDirectories(ws.resolve("dir"));
        Files.write(ws.resolve("bin.dat"), new byte[] {(byte) 0xC3, (byte) 0x28, 0x00});
        Files.write(ws.resolve("big.txt"), new byte[(int) TextFiles.MAX_READ_BYTES + 1]);
        assertThat(tools.refuse("read", args("path", "dir")).code()).isEqualTo("NOT_A_FILE");
        assertThat(tools.refuse("read", args("path", "bin.dat")).code()).isEqualTo("NOT_TEXT");
        ToolException big = tools.refuse("read", args("path", "big.txt"));
        assertThat(big.code()).isEqualTo("TOO_LARGE");
        assertThat(big.getMessage()).contains("exec");
        assertThat(tools.refuse("read", args("path", "absent.txt")).code()).isEqualTo("NOT_FOUND");
        assertThat(tools.refuse("write", args("path", "dir", "content", "x")).code()).isEqualTo("NOT_A_FILE");
        assertThat(tools.refuse("write", args("path", "dir/", "content", "x")).code()).isEqualTo("BAD_PATH");
        assertThat(tools.refuse("write", args("path", ".", "content", "x")).code()).isEqualTo("BAD_PATH");
        assertThat(Files.isDirectory(ws.resolve("dir"))).isTrue();
    }

    @Test
    void listShowsOneFolderOrTheWholeTreeSortedWithTypesAndSizes() throws Exception {
        writeFile(ws, "b.txt", "bb");
        writeFile(ws, "a/x.txt", "x");
        writeFile(ws, ".git/objects/ab/cdef", "blob");
        Files.createSymbolicLink(ws.resolve("link"), ws.resolve("a"));

        JsonNode top = tools.call("list", args()).structured();
        assertThat(top.path("path").asText()).isEqualTo(".");
        assertThat(top.path("entries").findValuesAsText("path")).containsExactly(".git", "a", "b.txt", "link");
        assertThat(top.path("entries").findValuesAsText("type")).containsExactly("dir", "dir", "file", "symlink");
        assertThat(top.at("/entries/2/size").asLong()).isEqualTo(2);

        HarnessCall tree = tools.call("list", args("recursive", true));
        assertThat(tree.structured().path("entries").findValuesAsText("path"))
                .as(".git is listed but not entered; the symlink is not followed")
                .containsExactly(".git", "a", "a/x.txt", "b.txt", "link");
        assertThat(tree.text()).isEqualTo(".git/\na/\na/x.txt  1\nb.txt  2\nlink@");

        JsonNode sub = tools.call("list", args("path", "a")).structured();
        assertThat(sub.path("entries").findValuesAsText("path")).containsExactly("a/x.txt");

        JsonNode limited = tools.call("list", args("recursive", true, "limit", 2)).structured();
        assertThat(limited.path("entries")).hasSize(2);
        assertThat(limited.path("truncated").asBoolean()).isTrue();

        assertThat(tools.refuse("list", args("path", "b.txt")).code()).isEqualTo("NOT_A_FOLDER");
        assertThat(tools.refuse("list", args("path", "nope")).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aMissingWorkspaceIsATypedError() {
        SkillHarness none = SkillHarness.of(new WorkspaceSkill()).workspace(ws.resolve("not-mounted"));
        assertThat(none.refuse("list", args()).code()).isEqualTo("NO_WORKSPACE");
    }
}

package ai.clawbot.skills.workspace;

import static ai.clawbot.testkit.SkillHarness.args;
import static ai.clawbot.testkit.SkillHarness.writeFile;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.testkit.SkillHarness;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tries to get out of the workspace with every tool: {@code ..}, absolute paths, NUL bytes, symlinked folders
 * and files pointing outside (existing and missing targets). Each attempt must be refused as
 * {@code OUTSIDE_WORKSPACE} (or a bad path), must not reveal whether an outside file exists, and must leave the
 * outside folder exactly as it was.
 */
class WorkspaceEscapeTest {

    @TempDir
    Path tmp;

    private Path ws;
    private Path outside;
    private SkillHarness tools;

    @BeforeEach
    void setUp() throws Exception {
        ws = Files.createDirectories(tmp.resolve("ws"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        writeFile(outside, "secret.txt", "s3cret x\n");
        writeFile(ws, "inside.txt", "fine\n");
        Files.createSymbolicLink(ws.resolve("outdir"), outside);                           // folder link out
        Files.createSymbolicLink(ws.resolve("outfile"), outside.resolve("secret.txt"));   // file link out
        Files.createSymbolicLink(ws.resolve("dangling"), outside.resolve("new.txt"));     // link to a missing file out
        Files.createSymbolicLink(ws.resolve("danglingdir"), outside.resolve("newdir"));   // link to a missing folder out
        Files.createSymbolicLink(ws.resolve("alias.txt"), ws.resolve("inside.txt"));       // link that stays inside
        tools = SkillHarness.of(new WorkspaceSkill()).workspace(ws);
    }

    private void assertOutsideUntouched() throws Exception {
        try (Stream<Path> s = Files.walk(outside)) {
            assertThat(s.map(p -> outside.relativize(p).toString())).containsExactlyInAnyOrder("", "secret.txt");
        }
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("s3cret x\n");
    }

    private void assertRefusedOutside(String tool, ObjectNode args) throws Exception {
        ToolException e = tools.refuse(tool, args);
        assertThat(e.code()).as(tool + " " + args + ": " + e.getMessage()).isEqualTo("OUTSIDE_WORKSPACE");
        assertThat(e.getMessage()).doesNotContain("s3cret");
        if (!args.toString().contains(outside.toString())) { // the caller's own path may be quoted back, nothing more
            assertThat(e.getMessage()).doesNotContain(outside.toString());
        }
        assertOutsideUntouched();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.txt", "a/../../outside/secret.txt", "./../ws/../outside/secret.txt",
            "outdir/secret.txt", "outfile", "outdir/absent.txt", "outdir", "..", "dangling/..//../outside/secret.txt"})
    void readingOutsideIsRefusedTheSameWhetherOrNotTheTargetExists(String path) throws Exception {
        assertRefusedOutside("read", args("path", path));
    }

    @Test
    void absolutePathsAreRefusedEvenWhenTheyPointIntoTheWorkspace() throws Exception {
        assertRefusedOutside("read", args("path", outside.resolve("secret.txt").toString()));
        assertRefusedOutside("read", args("path", ws.resolve("inside.txt").toString()));
        assertRefusedOutside("write", args("path", "/etc/clawbot-escape", "content", "x"));
        assertThat(Files.exists(Path.of("/etc/clawbot-escape"))).isFalse();
    }

    @Test
    void nulBytesAndBlankPathsAreBadPaths() {
        assertThat(tools.refuse("read", args("path", "inside.txt\0../../etc/passwd")).code()).isEqualTo("BAD_PATH");
        assertThat(tools.refuse("write", args("path", " ", "content", "x")).code()).isEqualTo("BAD_PATH");
    }

    @Test
    void writingThroughLinksOutIsRefusedAndCreatesNothingOutside() throws Exception {
        for (String path : List.of("../outside/new.txt", "outdir/new.txt", "outdir/sub/new.txt", "outfile",
                "dangling", "danglingdir/new.txt", "danglingdir/sub/new.txt")) {
            assertRefusedOutside("write", args("path", path, "content", "pwned"));
        }
        assertThat(Files.readSymbolicLink(ws.resolve("outfile"))).as("the link itself is left alone")
                .isEqualTo(outside.resolve("secret.txt"));
    }

    @Test
    void editingThroughLinksOutIsRefusedAndTheTargetKeepsItsContent() throws Exception {
        assertRefusedOutside("edit", args("path", "outfile", "old_string", "s3cret", "new_string", "pwned"));
        assertRefusedOutside("edit", args("path", "outdir/secret.txt", "old_string", "s3cret", "new_string", "pwned"));
        assertRefusedOutside("edit", args("path", "../outside/secret.txt", "old_string", "s3cret", "new_string", "pwned"));
    }

    @Test
    void listingAndCommandsCannotStartOutside() throws Exception {
        assertRefusedOutside("list", args("path", "outdir"));
        assertRefusedOutside("list", args("path", ".."));
        assertRefusedOutside("exec", args("command", List.of("cat", "secret.txt"), "cwd", "outdir"));
        assertRefusedOutside("exec", args("command", List.of("touch", "pwned"), "cwd", "../outside"));
    }

    @Test
    void aRecursiveListingDoesNotFollowLinksOut() throws Exception {
        String listing = tools.call("list", args("recursive", true)).text();
        assertThat(listing).doesNotContain("secret.txt").contains("outdir@").contains("outfile@");
    }

    @Test
    void linksThatStayInsideStillWork() throws Exception {
        assertThat(tools.call("read", args("path", "alias.txt")).text()).isEqualTo("fine\n");
        tools.call("edit", args("path", "alias.txt", "old_string", "fine", "new_string", "edited"));
        assertThat(Files.readString(ws.resolve("inside.txt"))).isEqualTo("edited\n");
        assertThat(Files.isSymbolicLink(ws.resolve("alias.txt"))).as("the link is kept; its target changed").isTrue();
        assertThat(tools.call("read", args("path", "sub/../inside.txt")).text()).isEqualTo("edited\n");
    }
}

package ai.clawbot.skills.obsidian;

import static ai.clawbot.skills.obsidian.ObsidianTools.args;
import static ai.clawbot.skills.obsidian.ObsidianTools.write;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObsidianReadTest {

    @TempDir
    Path tmp;

    private Path vault;
    private ObsidianTools tools;

    @BeforeEach
    void vault() throws Exception {
        vault = Files.createDirectory(tmp.resolve("vault"));
        write(vault, "Projects/Plan.md", "# Plan\n\nShip it. ✓\n");
        write(tmp, "outside.md", "not yours\n");
        tools = new ObsidianTools(vault);
    }

    @Test
    void readReturnsTheNoteContentAsTextAndStructured() throws Exception {
        ToolResult r = tools.call("read", args("path", "Projects/Plan.md"));

        assertThat(r.text()).isEqualTo("# Plan\n\nShip it. ✓\n");
        assertThat(r.structured().path("path").asText()).isEqualTo("Projects/Plan.md");
        assertThat(r.structured().path("content").asText()).isEqualTo("# Plan\n\nShip it. ✓\n");
    }

    @Test
    void readOfAMissingNoteIsNotFound() {
        ToolException e = tools.refusal("read", args("path", "Projects/Nope.md"));

        assertThat(e.code()).isEqualTo("NOT_FOUND");
        assertThat(e.getMessage()).isEqualTo("no note 'Projects/Nope.md'");
    }

    @Test
    void readOfAFolderIsNotANote() {
        assertThat(tools.refusal("read", args("path", "Projects")).code()).isEqualTo("NOT_A_NOTE");
    }

    @Test
    void dotDotOutOfTheVaultIsRefusedEvenWhenTheFileExists() {
        ToolException e = tools.refusal("read", args("path", "../outside.md"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(e.getMessage()).doesNotContain("not yours");
    }

    @Test
    void dotDotThroughASubFolderOutOfTheVaultIsRefused() {
        assertThat(tools.refusal("read", args("path", "Projects/../../outside.md")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void absolutePathIsRefused() {
        ToolException e = tools.refusal("read", args("path", "/etc/passwd"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(e.getMessage()).contains("absolute");
    }

    @Test
    void theVaultRootItselfIsNotANotePath() {
        assertThat(tools.refusal("read", args("path", ".")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void blankPathIsABadPath() {
        assertThat(tools.refusal("read", args("path", "  ")).code()).isEqualTo("BAD_PATH");
    }

    @Test
    void symlinkedNotePointingOutsideIsRefused() throws Exception {
        Files.createSymbolicLink(vault.resolve("link.md"), tmp.resolve("outside.md"));

        ToolException e = tools.refusal("read", args("path", "link.md"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(e.getMessage()).doesNotContain("not yours");
    }

    @Test
    void noteInsideASymlinkedFolderPointingOutsideIsRefused() throws Exception {
        write(tmp, "elsewhere/secret.md", "secret\n");
        Files.createSymbolicLink(vault.resolve("ext"), tmp.resolve("elsewhere"));

        assertThat(tools.refusal("read", args("path", "ext/secret.md")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void symlinkToAnotherNoteInsideTheVaultIsFollowed() throws Exception {
        Files.createSymbolicLink(vault.resolve("alias.md"), vault.resolve("Projects/Plan.md"));

        ToolResult r = tools.call("read", args("path", "alias.md"));

        assertThat(r.text()).startsWith("# Plan");
        assertThat(r.structured().path("path").asText()).isEqualTo("Projects/Plan.md");
    }

    @Test
    void vaultSettingSelectsASubFolderOfTheWorkspace() throws Exception {
        Path workspace = tmp.resolve("ws");
        write(workspace, "vaults/work/Todo.md", "work todo\n");
        write(workspace, "vaults/home/Todo.md", "home todo\n");
        write(workspace, "top.md", "workspace top\n");
        ObsidianTools work = new ObsidianTools(workspace, Map.of("vault", "vaults/work"));

        assertThat(work.call("read", args("path", "Todo.md")).text()).isEqualTo("work todo\n");
        assertThat(work.call("search", args("query", "md")).text()).isEqualTo("Todo.md");
        assertThat(work.refusal("read", args("path", "../home/Todo.md")).code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(work.refusal("read", args("path", "../../top.md")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void vaultSettingNamingAMissingFolderIsNoVault() throws Exception {
        ObsidianTools missing = new ObsidianTools(vault, Map.of("vault", "nope"));

        ToolException e = missing.refusal("search", args("query", "x"));

        assertThat(e.code()).isEqualTo("NO_VAULT");
    }
}

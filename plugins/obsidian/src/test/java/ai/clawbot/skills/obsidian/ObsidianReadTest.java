package ai.clawbot.skills.obsidian;

import static ai.clawbot.testkit.SkillHarness.args;
import static ai.clawbot.testkit.SkillHarness.writeFile;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObsidianReadTest {

    @TempDir
    Path tmp;

    private Path vault;
    private SkillHarness tools;

    @BeforeEach
    void vault() throws Exception {
        vault = Files.createDirectory(tmp.resolve("vault"));
        writeFile(vault, "Projects/Plan.md", "# Plan\n\nShip it. ✓\n");
        writeFile(tmp, "outside.md", "not yours\n");
        tools = SkillHarness.of(new ObsidianSkill()).workspace(vault);
    }

    @Test
    void readReturnsTheNoteContentAsTextAndStructured() throws Exception {
        HarnessCall r = tools.call("read", args("path", "Projects/Plan.md"));

        assertThat(r.text()).isEqualTo("# Plan\n\nShip it. ✓\n");
        assertThat(r.structured().path("path").asText()).isEqualTo("Projects/Plan.md");
        assertThat(r.structured().path("content").asText()).isEqualTo("# Plan\n\nShip it. ✓\n");
    }

    @Test
    void readOfAMissingNoteIsNotFound() {
        ToolException e = tools.refuse("read", args("path", "Projects/Nope.md"));

        assertThat(e.code()).isEqualTo("NOT_FOUND");
        assertThat(e.getMessage()).isEqualTo("no note 'Projects/Nope.md'");
    }

    @Test
    void readOfAFolderIsNotANote() {
        assertThat(tools.refuse("read", args("path", "Projects")).code()).isEqualTo("NOT_A_NOTE");
    }

    @Test
    void dotDotOutOfTheVaultIsRefusedEvenWhenTheFileExists() {
        ToolException e = tools.refuse("read", args("path", "../outside.md"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(e.getMessage()).doesNotContain("not yours");
    }

    @Test
    void dotDotThroughASubFolderOutOfTheVaultIsRefused() {
        assertThat(tools.refuse("read", args("path", "Projects/../../outside.md")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void absolutePathIsRefused() {
        ToolException e = tools.refuse("read", args("path", "/etc/passwd"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(e.getMessage()).contains("absolute");
    }

    @Test
    void theVaultRootItselfIsNotANotePath() {
        assertThat(tools.refuse("read", args("path", ".")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void blankPathIsABadPath() {
        assertThat(tools.refuse("read", args("path", "  ")).code()).isEqualTo("BAD_PATH");
    }

    @Test
    void symlinkedNotePointingOutsideIsRefused() throws Exception {
        Files.createSymbolicLink(vault.resolve("link.md"), tmp.resolve("outside.md"));

        ToolException e = tools.refuse("read", args("path", "link.md"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(e.getMessage()).doesNotContain("not yours");
    }

    @Test
    void noteInsideASymlinkedFolderPointingOutsideIsRefused() throws Exception {
        writeFile(tmp, "elsewhere/secret.md", "secret\n");
        Files.createSymbolicLink(vault.resolve("ext"), tmp.resolve("elsewhere"));

        assertThat(tools.refuse("read", args("path", "ext/secret.md")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void symlinkToAnotherNoteInsideTheVaultIsFollowed() throws Exception {
        Files.createSymbolicLink(vault.resolve("alias.md"), vault.resolve("Projects/Plan.md"));

        HarnessCall r = tools.call("read", args("path", "alias.md"));

        assertThat(r.text()).startsWith("# Plan");
        assertThat(r.structured().path("path").asText()).isEqualTo("Projects/Plan.md");
    }

    @Test
    void vaultSettingSelectsASubFolderOfTheWorkspace() throws Exception {
        Path workspace = tmp.resolve("ws");
        writeFile(workspace, "vaults/work/Todo.md", "work todo\n");
        writeFile(workspace, "vaults/home/Todo.md", "home todo\n");
        writeFile(workspace, "top.md", "workspace top\n");
        SkillHarness work = SkillHarness.of(new ObsidianSkill()).workspace(workspace).setting("vault", "vaults/work");

        assertThat(work.call("read", args("path", "Todo.md")).text()).isEqualTo("work todo\n");
        assertThat(work.call("search", args("query", "md")).text()).isEqualTo("Todo.md");
        assertThat(work.refuse("read", args("path", "../home/Todo.md")).code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(work.refuse("read", args("path", "../../top.md")).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void vaultSettingNamingAMissingFolderIsNoVault() throws Exception {
        SkillHarness missing = SkillHarness.of(new ObsidianSkill()).workspace(vault).setting("vault", "nope");

        ToolException e = missing.refuse("search", args("query", "x"));

        assertThat(e.code()).isEqualTo("NO_VAULT");
    }
}

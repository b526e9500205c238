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

class ObsidianCreateTest {

    @TempDir
    Path tmp;

    private Path vault;
    private SkillHarness tools;

    @BeforeEach
    void vault() throws Exception {
        vault = Files.createDirectory(tmp.resolve("vault"));
        writeFile(vault, "Existing.md", "original\n");
        tools = SkillHarness.of(new ObsidianSkill()).workspace(vault);
    }

    @Test
    void createWritesANewNoteAppendingMdAndCreatingFolders() throws Exception {
        HarnessCall r = tools.call("create", args("path", "Inbox/2025/new note", "content", "hello ✓\n"));

        Path file = vault.resolve("Inbox/2025/new note.md");
        assertThat(file).hasContent("hello ✓\n");
        assertThat(r.text()).isEqualTo("created Inbox/2025/new note.md");
        assertThat(r.structured().path("path").asText()).isEqualTo("Inbox/2025/new note.md");
        assertThat(r.structured().path("bytes").asInt()).isEqualTo("hello ✓\n".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(r.structured().path("overwrote").asBoolean()).isFalse();
    }

    @Test
    void createKeepsAnExplicitMdExtension() throws Exception {
        tools.call("create", args("path", "plain.md", "content", "x"));

        assertThat(vault.resolve("plain.md")).hasContent("x");
        assertThat(vault.resolve("plain.md.md")).doesNotExist();
    }

    @Test
    void createRefusesAnExistingNoteAndLeavesItIntact() {
        ToolException e = tools.refuse("create", args("path", "Existing", "content", "replaced\n"));

        assertThat(e.code()).isEqualTo("EXISTS");
        assertThat(e.getMessage()).contains("Existing.md").contains("overwrite=true");
        assertThat(vault.resolve("Existing.md")).hasContent("original\n");
    }

    @Test
    void createWithOverwriteFalseStillRefuses() {
        assertThat(tools.refuse("create", args("path", "Existing.md", "content", "r", "overwrite", false)).code())
                .isEqualTo("EXISTS");
        assertThat(vault.resolve("Existing.md")).hasContent("original\n");
    }

    @Test
    void createWithOverwriteTrueReplacesTheNote() throws Exception {
        HarnessCall r = tools.call("create", args("path", "Existing.md", "content", "replaced\n", "overwrite", true));

        assertThat(vault.resolve("Existing.md")).hasContent("replaced\n");
        assertThat(r.structured().path("overwrote").asBoolean()).isTrue();
    }

    @Test
    void createOutsideTheVaultByDotDotIsRefusedAndWritesNothing() {
        ToolException e = tools.refuse("create", args("path", "../escaped", "content", "x"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(tmp.resolve("escaped.md")).doesNotExist();
    }

    @Test
    void createAtAnAbsolutePathIsRefused() {
        Path target = tmp.resolve("abs.md");

        assertThat(tools.refuse("create", args("path", target.toString(), "content", "x")).code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(target).doesNotExist();
    }

    @Test
    void createThroughASymlinkedFolderPointingOutsideIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(vault.resolve("ext"), elsewhere);

        ToolException e = tools.refuse("create", args("path", "ext/planted", "content", "x"));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(elsewhere.resolve("planted.md")).doesNotExist();
    }

    @Test
    void createInANewFolderUnderASymlinkedFolderIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(vault.resolve("ext"), elsewhere);

        assertThat(tools.refuse("create", args("path", "ext/deep/er/planted", "content", "x")).code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(elsewhere.resolve("deep")).doesNotExist();
    }

    @Test
    void overwriteThroughASymlinkedNoteIsRefusedAndTheTargetIsIntact() throws Exception {
        Path target = writeFile(tmp, "outside.md", "keep me\n");
        Files.createSymbolicLink(vault.resolve("link.md"), target);

        ToolException e = tools.refuse("create", args("path", "link.md", "content", "pwned", "overwrite", true));

        assertThat(e.code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(target).hasContent("keep me\n");
    }

    @Test
    void symlinkToAFolderInsideTheVaultMayBeWrittenThrough() throws Exception {
        Path inbox = Files.createDirectory(vault.resolve("Inbox"));
        Files.createSymbolicLink(vault.resolve("in"), inbox);

        tools.call("create", args("path", "in/quick", "content", "q"));

        assertThat(inbox.resolve("quick.md")).hasContent("q");
    }

    @Test
    void createHonoursTheVaultSetting() throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("ws/vaults/work"));
        SkillHarness work = SkillHarness.of(new ObsidianSkill()).workspace(tmp.resolve("ws")).setting("vault", "vaults/work");

        HarnessCall r = work.call("create", args("path", "Todo", "content", "t"));

        assertThat(workspace.resolve("Todo.md")).hasContent("t");
        assertThat(r.structured().path("path").asText()).isEqualTo("Todo.md");
        assertThat(work.refuse("create", args("path", "../../top", "content", "t")).code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(tmp.resolve("ws/top.md")).doesNotExist();
    }
}

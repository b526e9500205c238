package ai.clawbot.skills.obsidian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths that must not leak what lies outside the vault, nor create unreachable notes. */
class ObsidianLeakTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private ToolException call(String tool, String args, Path vault) throws Exception {
        var handler = new ObsidianSkill().tools().get(tool);
        try {
            handler.call(JSON.readTree(args), new ToolContext(vault, Map.of()));
        } catch (ToolException e) {
            return e;
        }
        throw new AssertionError(tool + " " + args + " was not refused");
    }

    @Test
    void readThroughASymlinkedFolderSaysOutsideWhetherOrNotTheFileExists() throws Exception {
        Path vault = Files.createDirectories(tmp.resolve("vault"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.md"), "s3cret");
        Files.createSymbolicLink(vault.resolve("link"), outside);
        assertThat(call("read", "{\"path\":\"link/secret.md\"}", vault).code()).isEqualTo("OUTSIDE_VAULT");
        assertThat(call("read", "{\"path\":\"link/absent.md\"}", vault).code()).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void createRefusesFolderLikeAndHiddenNames() throws Exception {
        Path vault = Files.createDirectories(tmp.resolve("vault"));
        for (String path : new String[] {"Inbox/", "Inbox/.md", ".md", "Inbox/.hidden"}) {
            ToolException e = call("create", "{\"path\":\"" + path + "\",\"content\":\"x\"}", vault);
            assertThat(e.code()).as(path).isEqualTo("BAD_PATH");
        }
        try (var s = Files.walk(vault)) {
            assertThat(s.filter(Files::isRegularFile)).isEmpty();
        }
        assertThatThrownBy(() -> { throw call("create", "{\"path\":\"../x\",\"content\":\"x\"}", vault); })
                .hasMessageContaining("outside the vault");
    }
}

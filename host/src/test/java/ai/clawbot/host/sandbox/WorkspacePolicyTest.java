package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspacePolicyTest {

    @TempDir
    Path tmp;
    Path home;
    Path state;
    WorkspacePolicy policy;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home/alice"));
        Files.createDirectories(home.resolve(".ssh"));
        Files.createDirectories(home.resolve("projects/notes"));
        state = Files.createDirectories(home.resolve(".openclaw"));
        Files.createDirectories(state.resolve("workspace/vault"));
        Files.createDirectories(state.resolve("trust"));
        policy = WorkspacePolicy.create(home, state);
    }

    @Test
    void ordinaryFoldersAndTheStateWorkspaceMayBeMounted() {
        assertThat(policy.refusal(home.resolve("projects/notes"))).isEmpty();
        assertThat(policy.refusal(state.resolve("workspace"))).isEmpty();
        assertThat(policy.refusal(state.resolve("workspace/vault"))).isEmpty();
    }

    @Test
    void systemFoldersAndWhatIsUnderThemAreRefused() {
        for (String p : new String[] {"/etc", "/etc/ssl", "/proc", "/proc/self", "/sys", "/dev", "/root", "/boot", "/run", "/usr"}) {
            assertThat(policy.refusal(Path.of(p))).as(p).isPresent();
        }
        assertThat(policy.refusal(Path.of("/"))).hasValueSatisfying(r -> assertThat(r).contains("whole file system"));
    }

    @Test
    void credentialsFoldersTheirParentsAndTheStateFolderAreRefused() {
        assertThat(policy.refusal(home.resolve(".ssh"))).hasValueSatisfying(r -> assertThat(r).contains(".ssh"));
        assertThat(policy.refusal(home)).as("contains ~/.ssh").hasValueSatisfying(r -> assertThat(r).contains("contains"));
        assertThat(policy.refusal(home.getParent())).isPresent();
        assertThat(policy.refusal(state)).hasValueSatisfying(r -> assertThat(r).contains("state folder"));
        assertThat(policy.refusal(state.resolve("trust"))).hasValueSatisfying(r -> assertThat(r).contains("state folder"));
    }

    @Test
    void symlinksAreResolvedBeforeDeciding() throws Exception {
        Path sneaky = Files.createSymbolicLink(home.resolve("projects/innocent"), Path.of("/etc"));
        assertThat(policy.refusal(sneaky)).hasValueSatisfying(r -> assertThat(r).contains("/etc"));
        Path viaDots = home.resolve("projects/notes/../../.ssh");
        assertThat(policy.refusal(viaDots)).isPresent();
        Path toState = Files.createSymbolicLink(home.resolve("projects/st"), state.resolve("trust"));
        assertThat(policy.refusal(toState)).isPresent();
    }

    @Test
    void theStateWorkspaceIsAllowedEvenWhenTheStateFolderIsUnderASensitiveOne() throws Exception {
        // As for root, whose state folder /root/.openclaw lies under the sensitive /root.
        Path sensitiveState = Files.createDirectories(home.resolve(".ssh/openclaw/workspace"));
        WorkspacePolicy p = WorkspacePolicy.create(home, sensitiveState.getParent());
        assertThat(p.refusal(sensitiveState)).isEmpty();
        assertThat(p.refusal(sensitiveState.getParent())).isPresent();
        assertThat(p.refusal(home.resolve(".ssh"))).isPresent();
        Path escape = Files.createSymbolicLink(sensitiveState.resolve("out"), home.resolve(".ssh"));
        assertThat(p.refusal(escape)).as("a symlink out of the state workspace").isPresent();
    }

    @Test
    void missingFoldersAndFilesAreRefused() throws Exception {
        assertThat(policy.refusal(home.resolve("nope"))).hasValueSatisfying(r -> assertThat(r).contains("does not exist"));
        Path file = Files.writeString(home.resolve("projects/file.txt"), "x");
        assertThat(policy.refusal(file)).hasValueSatisfying(r -> assertThat(r).contains("not a folder"));
    }

    @Test
    void perAgentWorkspacesUnderTheStateFolderMayBeMountedButNothingDressedAsOne() throws Exception {
        Files.createDirectories(state.resolve("workspace-coder/src"));
        Files.createDirectories(state.resolve("workspacex"));
        Files.createDirectories(state.resolve("workspace-Coder"));
        Files.createSymbolicLink(state.resolve("workspace-evil"), state.resolve("trust"));
        assertThat(policy.refusal(state.resolve("workspace-coder"))).isEmpty();
        assertThat(policy.refusal(state.resolve("workspace-coder/src"))).isEmpty();
        assertThat(policy.refusal(state.resolve("workspace-coder/../trust"))).isPresent();
        assertThat(policy.refusal(state.resolve("workspacex"))).as("not workspace-<id>").isPresent();
        assertThat(policy.refusal(state.resolve("workspace-Coder"))).as("agent ids are lower case").isPresent();
        assertThat(policy.refusal(state.resolve("workspace-evil"))).as("a link to the trust store").isPresent();
    }
}

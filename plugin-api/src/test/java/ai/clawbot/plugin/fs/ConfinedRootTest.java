package ai.clawbot.plugin.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile paths against one confined folder: each is refused with a typed code, says nothing about what exists
 * outside, and leaves the files outside as they were.
 */
class ConfinedRootTest {

    @TempDir
    Path tmp;
    Path folder;
    Path outside;
    ConfinedRoot root;

    @BeforeEach
    void setUp() throws IOException {
        folder = Files.createDirectory(tmp.resolve("vault"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.md"), "keep me\n");
        Files.createDirectories(folder.resolve("Notes"));
        Files.writeString(folder.resolve("Notes/inside.md"), "inside\n");
        root = ConfinedRoot.open(folder, "vault");
    }

    private String code(ThrowingCall call) {
        ToolException e = catchThrowableOfType(ToolException.class, call::run);
        assertThat(e).as("refused").isNotNull();
        return e.code();
    }

    private interface ThrowingCall {
        void run() throws ToolException;
    }

    private void assertOutsideIntact() throws IOException {
        assertThat(outside.resolve("secret.md")).hasContent("keep me\n");
        try (var s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret.md");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../outside/secret.md", "Notes/../../outside/secret.md", "Notes/../..",
        "a/b/../../../outside/secret.md", "./../outside", "Notes/./../../outside/new.md"})
    void dotDotOutOfTheRootIsRefused(String path) throws IOException {
        assertThat(code(() -> root.existing(path))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite(path))).isIn("OUTSIDE_VAULT", "BAD_PATH");
        assertOutsideIntact();
    }

    @Test
    void dotDotThatStaysInsideIsAllowed() throws ToolException {
        assertThat(root.existing("Notes/../Notes/inside.md")).isEqualTo(root.root().resolve("Notes/inside.md"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "//etc/passwd", "/run/secrets/token"})
    void absolutePathsAreRefused(String path) {
        assertThat(code(() -> root.existing(path))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite(path))).isIn("OUTSIDE_VAULT", "BAD_PATH");
    }

    @Test
    void anAbsolutePathIntoTheRootIsRefusedToo() {
        assertThat(code(() -> root.existing(folder.resolve("Notes/inside.md").toString()))).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void aTildeIsAnOrdinaryNameNotTheHomeFolder() throws ToolException {
        assertThat(code(() -> root.existing("~/.ssh/id_rsa"))).isEqualTo("NOT_FOUND");
        assertThat(root.forWrite("~/note.md")).isEqualTo(root.root().resolve("~/note.md"));
        assertThat(root.forWrite("~root/note.md")).startsWithRaw(root.root());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b.md", "Notes/inside.md\0../../outside/secret.md", "\0", "", " ", "\t\n"})
    void nulBytesAndBlanksAreBadPaths(String path) {
        assertThat(code(() -> root.existing(path))).isEqualTo("BAD_PATH");
        assertThat(code(() -> root.forWrite(path))).isEqualTo("BAD_PATH");
    }

    @Test
    void nullIsABadPath() {
        assertThat(code(() -> root.existing(null))).isEqualTo("BAD_PATH");
        assertThat(code(() -> root.forWrite(null))).isEqualTo("BAD_PATH");
    }

    @Test
    void folderNamesAreNotFilesToWrite() {
        assertThat(code(() -> root.forWrite("."))).isEqualTo("BAD_PATH");
        assertThat(code(() -> root.forWrite("Notes/"))).isEqualTo("BAD_PATH");
        assertThat(code(() -> root.forWrite("Notes/."))).isEqualTo("BAD_PATH");
        assertThat(code(() -> root.forWrite("Notes/.."))).isEqualTo("BAD_PATH");
        assertThat(code(() -> root.forWrite("Notes"))).isEqualTo("NOT_A_FILE");
        assertThat(code(() -> root.folder("Notes/inside.md"))).isEqualTo("NOT_A_FOLDER");
    }

    @Test
    void aSymlinkedFileLeadingOutIsRefusedForReadAndWrite() throws IOException {
        Files.createSymbolicLink(folder.resolve("link.md"), outside.resolve("secret.md"));
        assertThat(code(() -> root.existing("link.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite("link.md"))).isEqualTo("OUTSIDE_VAULT");
        assertOutsideIntact();
    }

    @Test
    void aSymlinkedParentLeadingOutIsRefusedWhetherOrNotTheFileExists() throws IOException {
        Files.createSymbolicLink(folder.resolve("ext"), outside);
        assertThat(code(() -> root.existing("ext/secret.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.existing("ext/absent.md"))).as("no existence oracle").isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.existing("ext"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite("ext/new.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite("ext/deep/er/new.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.folder("ext"))).isEqualTo("OUTSIDE_VAULT");
        assertOutsideIntact();
    }

    @Test
    void aLinkToRunSecretsIsRefusedWhetherOrNotThatFolderExistsHere() throws IOException {
        Files.createSymbolicLink(folder.resolve("secrets"), Path.of("/run/secrets"));
        assertThat(code(() -> root.existing("secrets"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.existing("secrets/api_key"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite("secrets/api_key"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite("secrets"))).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void aDanglingLinkIsNeitherFollowedForReadingNorWrittenThrough() throws IOException {
        Files.createSymbolicLink(folder.resolve("gone.md"), outside.resolve("planted.md"));
        Files.createSymbolicLink(folder.resolve("gonedir"), outside.resolve("planted-dir"));
        assertThat(code(() -> root.existing("gone.md"))).isIn("OUTSIDE_VAULT", "NOT_FOUND");
        assertThat(code(() -> root.forWrite("gone.md"))).isEqualTo("OUTSIDE_VAULT");
        // The ancestor check must see the dangling link itself, not skip it as "not there" and stop at the root.
        assertThat(code(() -> root.forWrite("gonedir/planted.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.forWrite("gonedir/a/b.md"))).isEqualTo("OUTSIDE_VAULT");
        assertOutsideIntact();
    }

    @Test
    void aDanglingLinkThatWouldPointInsideIsStillNotFollowed() throws IOException {
        Files.createSymbolicLink(folder.resolve("later"), folder.resolve("Later"));
        assertThat(code(() -> root.forWrite("later/new.md"))).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void symlinksThatStayInsideAreFollowedToTheirRealPath() throws IOException, ToolException {
        Files.createSymbolicLink(folder.resolve("alias.md"), folder.resolve("Notes/inside.md"));
        Files.createSymbolicLink(folder.resolve("n"), folder.resolve("Notes"));
        Path real = root.root().resolve("Notes/inside.md");
        assertThat(root.existing("alias.md")).isEqualTo(real);
        assertThat(root.existing("n/inside.md")).isEqualTo(real);
        assertThat(root.forWrite("alias.md")).isEqualTo(real);
        assertThat(root.forWrite("n/new.md")).isEqualTo(root.root().resolve("n/new.md"));
        assertThat(root.relative(real)).isEqualTo("Notes/inside.md");
        assertThat(root.relative(root.existing("."))).isEqualTo(".");
    }

    @Test
    void aRootOpenedThroughASymlinkStillConfinesToTheRealFolder() throws IOException {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), folder);
        ConfinedRoot viaLink = ConfinedRoot.open(alias, "vault");
        assertThat(viaLink.root()).isEqualTo(folder.toRealPath());
        assertThat(code(() -> viaLink.existing("../outside/secret.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> viaLink.existing("../alias/Notes/inside.md"))).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void aSymlinkSwappedInAfterOneCheckIsCaughtByTheNext() throws IOException, ToolException {
        // Each call checks afresh: a folder checked once and then replaced by a link out is refused next time.
        Files.createDirectory(folder.resolve("swap"));
        assertThat(root.forWrite("swap/x.md")).startsWithRaw(root.root());
        Files.delete(folder.resolve("swap"));
        Files.createSymbolicLink(folder.resolve("swap"), outside);
        assertThat(code(() -> root.forWrite("swap/x.md"))).isEqualTo("OUTSIDE_VAULT");
        assertThat(code(() -> root.existing("swap/secret.md"))).isEqualTo("OUTSIDE_VAULT");
    }

    @Test
    void veryLongNamesGiveTypedAnswersNotCrashes() throws ToolException {
        String longName = "n".repeat(300) + ".md"; // over NAME_MAX (255)
        assertThat(code(() -> root.existing(longName))).isEqualTo("NOT_FOUND");
        assertThat(root.forWrite(longName)).startsWithRaw(root.root());
        String deep = "d/".repeat(3000) + "x.md"; // over PATH_MAX (4096)
        assertThat(code(() -> root.existing(deep))).isEqualTo("NOT_FOUND");
        assertThat(root.forWrite(deep)).startsWithRaw(root.root());
        String climbing = "a/".repeat(2000) + "../".repeat(2001) + "outside/secret.md";
        assertThat(code(() -> root.existing(climbing))).isEqualTo("OUTSIDE_VAULT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u2025/outside/secret.md", "\uFF0E\uFF0E/outside/secret.md", "..\u2215outside\u2215secret.md",
        "..\uFF0Foutside\uFF0Fsecret.md", ".\u200B./outside/secret.md", "\u2024\u2024/outside/secret.md"})
    void unicodeLookAlikesOfDotsAndSlashesAreOrdinaryNamesInside(String path) throws ToolException, IOException {
        assertThat(code(() -> root.existing(path))).isEqualTo("NOT_FOUND");
        assertThat(root.forWrite(path)).startsWithRaw(root.root());
        assertOutsideIntact();
    }

    @Test
    void openingAMissingFolderOrAFileFails() throws IOException {
        assertThatThrownBy(() -> ConfinedRoot.open(tmp.resolve("absent"), "vault")).isInstanceOf(NoSuchFileException.class);
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> ConfinedRoot.open(file, "vault")).isInstanceOf(NotDirectoryException.class);
    }

    @Test
    void theRefusalCodeAndMessageNameTheFolder() throws IOException {
        ConfinedRoot ws = ConfinedRoot.open(folder, "workspace");
        ToolException e = catchThrowableOfType(ToolException.class, () -> ws.existing("../x"));
        assertThat(e.code()).isEqualTo("OUTSIDE_WORKSPACE");
        assertThat(e.getMessage()).isEqualTo("'../x' leads outside the workspace");
    }
}

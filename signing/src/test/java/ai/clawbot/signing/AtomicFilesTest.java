package ai.clawbot.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic write of state files: trust files, key files, registries, the config. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheContentOwnerOnlyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("revoked.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        AtomicFiles.replace(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    /** A link planted where a state file goes is replaced; what it points at is never written through it. */
    @Test
    void aSymlinkAtTheTargetIsReplacedNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched");
        Path file = Files.createSymbolicLink(dir.resolve("key.pem"), elsewhere);

        AtomicFiles.replace(file, "pem".getBytes(StandardCharsets.US_ASCII));

        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("pem");
        assertThat(Files.readString(elsewhere)).isEqualTo("untouched");
    }

    @Test
    void aWriteThatCannotCompleteLeavesTheOldStateAndNoTemporaryFile() throws IOException {
        Path occupied = Files.createDirectories(dir.resolve("min-versions.json"));
        Files.writeString(occupied.resolve("inside"), "kept");

        assertThatThrownBy(() -> AtomicFiles.replace(occupied, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);

        assertThat(Files.readString(occupied.resolve("inside"))).isEqualTo("kept");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(occupied);
        }
    }

    @Test
    void readIfExistsIsBoundedAndSaysWhenAFileIsMissing() throws IOException {
        assertThat(AtomicFiles.readIfExists(dir.resolve("absent"), 10)).isNull();
        Path file = Files.writeString(dir.resolve("f"), "0123456789");
        assertThat(AtomicFiles.readIfExists(file, 10)).hasSize(10);
        assertThatThrownBy(() -> AtomicFiles.readIfExists(file, 9)).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than 9 bytes");
    }
}

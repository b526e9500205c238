package ai.clawbot.host.sessions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * File-system steps that survive a crash: fsync'd writes, atomic replacement and renames made durable by an
 * fsync of their folder. Transcripts hold conversations, so files are owner-only.
 */
final class Durable {

    static final FileAttribute<Set<PosixFilePermission>> OWNER_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private Durable() {
    }

    /** Creates {@code folder} and missing parents (owner-only), each creation made durable in its parent. */
    static void createFolders(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            createFolders(parent);
        }
        try {
            Files.createDirectory(folder, OWNER_FOLDER);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw e;
            }
            return; // another thread made it
        }
        if (parent != null) {
            syncFolder(parent);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} so that a crash leaves the old content or the new, never a mix:
     * temp file, fsync, rename over the target, fsync of the folder.
     */
    static void replace(Path target, byte[] bytes) throws IOException {
        Path tmp = writeTemp(target, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } finally {
            deleteQuietly(tmp);
        }
        syncFolder(target.getParent());
    }

    /** Like {@link #replace}, for a file that must not exist yet: it appears whole or not at all. */
    static void create(Path target, byte[] bytes) throws IOException {
        Path tmp = writeTemp(target, bytes);
        try {
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } finally {
            deleteQuietly(tmp);
        }
        syncFolder(target.getParent());
    }

    /**
     * Renames {@code file} to {@code <file>.<reason>.<timestamp>} (a numbered suffix if that exists) and makes
     * the rename durable. The timestamp is ISO-8601 with ':' as '-', as OpenClaw names its archives.
     */
    static Path archive(Path file, String reason, Instant now) throws IOException {
        String base = file.getFileName() + "." + reason + "." + now.toString().replace(':', '-');
        Path target = file.resolveSibling(base);
        for (int n = 1; Files.exists(target); n++) {
            target = file.resolveSibling(base + "-" + n);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        syncFolder(file.getParent());
        return target;
    }

    /** Makes renames and creations in {@code folder} durable; best effort where a folder cannot be synced. */
    static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse to open or sync a folder; the rename itself is still atomic.
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static Path writeTemp(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", OWNER_FILE);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(bytes));
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        return tmp;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A stray temp file is harmless: it matches no transcript or index name.
            }
        }
    }
}

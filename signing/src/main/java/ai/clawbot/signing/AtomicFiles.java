package ai.clawbot.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reading a bounded file, and replacing one so that a crash leaves the old content or the new, never a mix or an
 * empty file: the one way the gateway and {@code claw} write their state (config, trust files, key files, registries).
 */
public final class AtomicFiles {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private AtomicFiles() {
    }

    /** The file's bytes, or null when it does not exist. Larger than {@code max} is an IOException. */
    public static byte[] readIfExists(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException("larger than " + max + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Temp file next to {@code file} (created owner-only, exclusively, so nothing planted there is followed),
     * written and fsync'd, renamed over {@code file} atomically, then the folder fsync'd so the rename
     * survives a power loss. {@code file} itself is replaced, not followed if it is a link. On failure the
     * temp file is removed and {@code file} is as it was.
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Path tmp = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp", OWNER_ONLY);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } finally {
            deleteQuietly(tmp);
        }
        syncFolder(folder);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A stray temp file is harmless: the store never reads one; the write's own error matters more.
            }
        }
    }

    private static void syncFolder(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot sync a folder; the rename is still atomic, only its durability is weaker.
        }
    }
}

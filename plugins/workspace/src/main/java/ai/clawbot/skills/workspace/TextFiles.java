package ai.clawbot.skills.workspace;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reading and replacing UTF-8 text files. A replacement is written to a temporary file beside the target and
 * renamed over it, so a failed write leaves the old content whole; an existing file keeps its permissions.
 */
final class TextFiles {

    static final long MAX_READ_BYTES = 1024L * 1024;
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private TextFiles() {
    }

    /** The file's text; refuses folders, files over {@link #MAX_READ_BYTES} and bytes that are not UTF-8. */
    static String read(Path file, String name) throws ToolException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ToolException("NOT_A_FILE", "'" + name + "' is not a file");
            }
            long size = Files.size(file);
            if (size > MAX_READ_BYTES) {
                throw new ToolException("TOO_LARGE", "'" + name + "' has " + size + " bytes, over the " + MAX_READ_BYTES
                        + " this tool reads; use exec with head, tail or sed for a part of it");
            }
            byte[] bytes = Files.readAllBytes(file);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new ToolException("NOT_TEXT", "'" + name + "' is not UTF-8 text");
            }
        } catch (IOException e) {
            throw new ToolException("IO", "cannot read '" + name + "': " + e.getMessage());
        }
    }

    /** Writes {@code content} as the whole file, atomically; returns whether the file was new. */
    static boolean replace(Path file, String content, String name) throws ToolException {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> perms = existed ? Files.getPosixFilePermissions(file) : NEW_FILE;
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return !existed;
        } catch (IOException e) {
            throw new ToolException("IO", "cannot write '" + name + "': " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the target is untouched either way
                }
            }
        }
    }
}

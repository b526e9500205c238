package ai.clawbot.host.config;

import ai.clawbot.signing.AtomicFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes a changed config over {@code openclaw.json} keeping what the operator wrote. A plain-JSON file (or none) is
 * written as 2-space JSON. A JSON5 file (comments, unquoted names, trailing commas, ...) is changed by text edits
 * ({@link Json5Editor}: values located by Jackson's token offsets ({@link Json5Layout}), the edited text parsed again
 * and compared with the intended tree), so every comment and untouched line stays; when the change cannot be placed
 * that way, the file is rewritten as plain JSON after a copy of it as it was, comments included, is kept in
 * {@code openclaw.json.bak} (logged as a warning).
 *
 * <p>A file that is not JSON5 at all is replaced whole, its bytes kept in {@code openclaw.json.rejected.<time>}.
 * Every write replaces the file atomically ({@link AtomicFiles}) and goes through a symbolic link, so that a
 * config kept elsewhere (a dotfiles repo) stays linked.
 */
final class CommentPreservingWriter {

    private static final System.Logger LOG = System.getLogger(CommentPreservingWriter.class.getName());

    private final Path file;
    private final Path backup;

    private CommentPreservingWriter(Path file) {
        this.file = file;
        this.backup = file.resolveSibling(file.getFileName() + ".bak");
    }

    /** A writer for {@code file}. */
    static CommentPreservingWriter create(Path file) {
        return new CommentPreservingWriter(file);
    }

    /**
     * Writes {@code next} over the file whose bytes are {@code current} (null: absent) and parse to {@code base},
     * in the file's own format.
     *
     * @return the bytes written
     */
    byte[] write(byte[] current, ObjectNode base, ObjectNode next) throws IOException {
        return replace(current == null || ConfigJson.strictJson(current) ? ConfigJson.serialize(next)
                : editInPlace(current, base, next));
    }

    /**
     * Writes {@code next} as plain JSON over a file that is not JSON5, whose bytes ({@code broken}) are kept first
     * as {@code openclaw.json.rejected.<time>} (logged).
     *
     * @return the bytes written
     */
    byte[] replaceBroken(byte[] broken, ObjectNode next) throws IOException {
        Path kept = file.resolveSibling(file.getFileName() + ".rejected." + Instant.now().toString().replace(':', '-'));
        AtomicFiles.replace(kept, broken);
        LOG.log(System.Logger.Level.WARNING, "replacing the broken {0}; its content is kept in {1}", file, kept);
        return replace(ConfigJson.serialize(next));
    }

    private byte[] editInPlace(byte[] source, ObjectNode base, ObjectNode next) throws IOException {
        return switch (Json5Editor.edit(source, base, next)) {
            case Json5Editor.Result.Edited edited -> edited.bytes();
            case Json5Editor.Result.NotLocated notLocated -> {
                LOG.log(System.Logger.Level.WARNING, "cannot edit {0} in place ({1}): rewriting it as plain JSON;"
                        + " the file as it was, comments included, is kept in {2}", file, notLocated.why(), backup);
                AtomicFiles.replace(backup, source);
                yield ConfigJson.serialize(next);
            }
        };
    }

    private byte[] replace(byte[] bytes) throws IOException {
        AtomicFiles.replace(Files.isSymbolicLink(file) ? file.toRealPath() : file, bytes);
        return bytes;
    }
}

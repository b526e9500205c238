package ai.clawbot.plugin.fs;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A folder a skill may touch, and the only way its tools turn a caller's path into a file. A path is relative to
 * the root ({@code ~} is an ordinary name, never a home folder); one that leads outside (by {@code ..}, an
 * absolute path, or a symlink anywhere on the way, dangling ones included) is refused with {@code OUTSIDE_<NAME>}
 * before anything is read, created or said about whether it exists. Bad input ({@code NUL}, blank, a name the file system cannot hold) is {@code BAD_PATH}.
 *
 * <p>What this cannot close: a component swapped for a symlink after the check and before the caller opens the
 * path. In the sandbox only the skill's own processes can write the folder, so such a swap needs code already
 * running inside it.
 */
public final class ConfinedRoot {

    private final Path root;
    private final String name;
    private final String outsideCode;

    private ConfinedRoot(Path root, String name) {
        this.root = root;
        this.name = name;
        this.outsideCode = "OUTSIDE_" + name.toUpperCase(Locale.ROOT);
    }

    /**
     * The canonical folder.
     *
     * @param name what the folder is to the caller ({@code "vault"}, {@code "workspace"}): it names the refusal
     *             code ({@code OUTSIDE_VAULT}) and appears in messages
     * @throws IOException when the folder does not exist or is not a folder
     */
    public static ConfinedRoot open(Path folder, String name) throws IOException {
        Path real = folder.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(folder.toString());
        }
        return new ConfinedRoot(real, name);
    }

    public Path root() {
        return root;
    }

    /** The code of a refusal for leading outside, e.g. {@code OUTSIDE_VAULT}. */
    public String outsideCode() {
        return outsideCode;
    }

    /** An existing file or folder ({@code "."} is the root itself), by its real path inside the root. */
    public Path existing(String relative) throws ToolException {
        Path p = lexical(relative);
        // Where the path leads is checked before whether it exists: through a symlinked folder, "not found"
        // would tell the caller which files exist outside.
        requireInside(nearestExistingAncestor(p), relative);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException("NOT_FOUND", "'" + relative + "' does not exist");
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            // A dangling symlink: its target is not there, wherever it is.
            throw new ToolException("NOT_FOUND", "'" + relative + "' is a symlink to nothing");
        }
        if (!real.startsWith(root)) {
            throw outside(relative);
        }
        return real;
    }

    /** An existing folder (for listing, or as a command's working folder). */
    public Path folder(String relative) throws ToolException {
        Path p = existing(relative);
        if (!Files.isDirectory(p)) {
            throw new ToolException("NOT_A_FOLDER", "'" + relative + "' is not a folder");
        }
        return p;
    }

    /**
     * A file to create or replace. An existing symlink is followed only when its target is a file inside the root;
     * the folders on the way that exist must be real folders inside it (the caller creates the rest).
     */
    public Path forWrite(String relative) throws ToolException {
        if (relative != null && (relative.endsWith("/") || relative.endsWith("/.") || relative.equals("."))) {
            throw new ToolException("BAD_PATH", "'" + relative + "' names a folder, not a file");
        }
        Path p = lexical(relative);
        if (p.equals(root)) {
            throw new ToolException("BAD_PATH", "'" + relative + "' is the " + name + " itself, not a file");
        }
        requireInside(nearestExistingAncestor(p.getParent()), relative);
        if (Files.isSymbolicLink(p)) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                // Writing would create the link's target, which may be anywhere.
                throw new ToolException(outsideCode, "'" + relative + "' is a symlink to a missing target");
            }
            if (!real.startsWith(root)) {
                throw outside(relative);
            }
            p = real;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException("NOT_A_FILE", "'" + relative + "' is a folder");
        }
        return p;
    }

    /** A path inside the root, as the caller should name it ({@code "."} for the root). */
    public String relative(Path absolute) {
        String r = root.relativize(absolute).toString();
        return r.isEmpty() ? "." : r;
    }

    /** The path named, normalized, inside the root by its letters; nothing on disk is consulted. */
    private Path lexical(String relative) throws ToolException {
        if (relative == null || relative.isBlank() || relative.indexOf('\0') >= 0) {
            throw new ToolException("BAD_PATH", "empty or invalid path");
        }
        Path rel;
        try {
            rel = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new ToolException("BAD_PATH", "invalid path '" + relative + "'");
        }
        if (rel.isAbsolute()) {
            throw new ToolException(outsideCode, "absolute paths are not allowed: '" + relative
                    + "' (paths are relative to the " + name + ")");
        }
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            throw outside(relative);
        }
        return p;
    }

    /** The nearest part of the path that is there, a symlink counting as there even when it leads nowhere. */
    private static Path nearestExistingAncestor(Path p) {
        Path a = p;
        while (a != null && !Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
            a = a.getParent();
        }
        return a;
    }

    private void requireInside(Path existing, String relative) throws ToolException {
        try {
            if (existing == null || !existing.toRealPath().startsWith(root)) {
                throw outside(relative);
            }
        } catch (IOException e) {
            // A dangling symlink on the way: where it leads cannot be checked, so it is not followed.
            throw outside(relative);
        }
    }

    private ToolException outside(String relative) {
        return new ToolException(outsideCode, "'" + relative + "' leads outside the " + name);
    }
}

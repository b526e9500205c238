package ai.clawbot.skills.workspace;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The workspace folder, and the only way the workspace tools turn a caller's path into a file. A path is
 * workspace-relative; one that leads outside (by {@code ..}, an absolute path, or a symlink anywhere on the
 * way) is refused with {@code OUTSIDE_WORKSPACE}, before anything is read, created or said about whether
 * it exists.
 */
final class WorkspaceRoot {

    private final Path root;

    private WorkspaceRoot(Path root) {
        this.root = root;
    }

    /** The canonical workspace folder; it must exist (the sandbox mounts it). */
    static WorkspaceRoot open(Path folder) throws ToolException {
        try {
            Path real = folder.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new ToolException("NO_WORKSPACE", "the workspace " + folder + " is not a folder");
            }
            return new WorkspaceRoot(real);
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "no workspace is mounted at " + folder);
        }
    }

    Path root() {
        return root;
    }

    /** An existing file or folder ({@code "."} is the workspace itself), by its real path inside the root. */
    Path existing(String relative) throws ToolException {
        Path p = lexical(relative);
        // Where the path leads is checked before whether it exists: through a symlinked folder, "not found"
        // would tell the caller which files exist outside the workspace.
        requireInside(nearestExistingAncestor(p), relative);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException("NOT_FOUND", "'" + relative + "' does not exist");
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(root)) {
                throw outside(relative);
            }
            return real;
        } catch (IOException e) {
            // A dangling symlink: its target is not there, wherever it is.
            throw new ToolException("NOT_FOUND", "'" + relative + "' is a symlink to nothing");
        }
    }

    /**
     * A file to create or replace. An existing symlink is followed only when its target is a file inside the
     * workspace; the folders on the way that exist must be real folders inside it (the rest are created later).
     */
    Path forWrite(String relative) throws ToolException {
        if (relative.endsWith("/") || relative.endsWith("/.") || relative.equals(".")) {
            throw new ToolException("BAD_PATH", "'" + relative + "' names a folder, not a file");
        }
        Path p = lexical(relative);
        if (p.equals(root)) {
            throw new ToolException("BAD_PATH", "'" + relative + "' is the workspace itself, not a file");
        }
        requireInside(nearestExistingAncestor(p.getParent()), relative);
        if (Files.isSymbolicLink(p)) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                // Writing would create the link's target, which may be anywhere.
                throw new ToolException("OUTSIDE_WORKSPACE", "'" + relative + "' is a symlink to a missing target");
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

    /** An existing folder (for listing, or as a command's working folder). */
    Path folder(String relative) throws ToolException {
        Path p = existing(relative);
        if (!Files.isDirectory(p)) {
            throw new ToolException("NOT_A_FOLDER", "'" + relative + "' is not a folder");
        }
        return p;
    }

    /** A path inside the root, as the caller should name it ({@code "."} for the root). */
    String relative(Path absolute) {
        String r = root.relativize(absolute).toString();
        return r.isEmpty() ? "." : r;
    }

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
            throw new ToolException("OUTSIDE_WORKSPACE", "absolute paths are not allowed: '" + relative
                    + "' (paths are relative to the workspace)");
        }
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            throw outside(relative);
        }
        return p;
    }

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

    private static ToolException outside(String relative) {
        return new ToolException("OUTSIDE_WORKSPACE", "'" + relative + "' leads outside the workspace");
    }
}

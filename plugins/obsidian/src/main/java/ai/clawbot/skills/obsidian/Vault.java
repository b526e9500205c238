package ai.clawbot.skills.obsidian;

import ai.clawbot.plugin.api.ToolException;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Markdown vault rooted at a folder. Every path a caller names is resolved inside the root; a name
 * that escapes it (by {@code ..}, an absolute path, or a symlink) is refused.
 */
final class Vault {

    static final long MAX_NOTE_BYTES = 2L * 1024 * 1024;

    private final Path root;

    Vault(Path root) throws ToolException {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new ToolException("NO_VAULT", "vault folder " + root + " does not exist");
        }
    }

    Path root() {
        return root;
    }

    /** Every note ({@code *.md}, not hidden) under the root, vault-relative, sorted. Symlinks are not followed. */
    List<Path> notes() throws ToolException {
        try (Stream<Path> s = Files.walk(root, 32, new FileVisitOption[0])) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(root::relativize)
                    .filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> !hidden(p))
                    .sorted()
                    .forEach(out::add);
            return out;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ToolException("IO", "cannot list the vault: " + e.getMessage());
        }
    }

    /** Resolves an existing note, refusing anything outside the vault (symlinks included). */
    Path existing(String relative) throws ToolException {
        Path p = lexical(relative);
        // Check where the path leads before whether it exists: through a symlinked folder, "not found"
        // would tell the caller which files exist outside the vault.
        requireInside(nearestExistingAncestor(p), relative);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new ToolException("NOT_FOUND", "no note '" + relative + "'");
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(root)) {
                throw new ToolException("OUTSIDE_VAULT", "'" + relative + "' leads outside the vault");
            }
            return real;
        } catch (IOException e) {
            throw new ToolException("IO", "cannot resolve '" + relative + "': " + e.getMessage());
        }
    }

    /** Resolves a path for a new note: its existing ancestors must be real folders inside the vault. */
    Path forCreate(String relative) throws ToolException {
        String name = relative.endsWith(".md") ? relative.substring(0, relative.length() - 3) : relative;
        int slash = name.lastIndexOf('/');
        if (name.endsWith("/") || name.substring(slash + 1).isBlank() || name.substring(slash + 1).startsWith(".")) {
            throw new ToolException("BAD_PATH", "'" + relative + "' does not name a note (it needs a file name, not hidden)");
        }
        Path p = lexical(name + ".md");
        requireInside(nearestExistingAncestor(p.getParent()), relative);
        if (Files.isSymbolicLink(p)) {
            throw new ToolException("OUTSIDE_VAULT", "'" + relative + "' is a symlink");
        }
        return p;
    }

    private Path nearestExistingAncestor(Path p) {
        Path a = p;
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        return a;
    }

    private void requireInside(Path existing, String relative) throws ToolException {
        try {
            if (existing == null || !existing.toRealPath().startsWith(root)) {
                throw new ToolException("OUTSIDE_VAULT", "'" + relative + "' leads outside the vault");
            }
        } catch (IOException e) {
            throw new ToolException("IO", "cannot resolve '" + relative + "': " + e.getMessage());
        }
    }

    String relative(Path absolute) {
        return root.relativize(absolute).toString();
    }

    private Path lexical(String relative) throws ToolException {
        if (relative.isBlank() || relative.indexOf('\0') >= 0) {
            throw new ToolException("BAD_PATH", "empty or invalid path");
        }
        Path rel = Path.of(relative);
        if (rel.isAbsolute()) {
            throw new ToolException("OUTSIDE_VAULT", "absolute paths are not allowed: '" + relative + "'");
        }
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new ToolException("OUTSIDE_VAULT", "'" + relative + "' leads outside the vault");
        }
        return p;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}

package ai.clawbot.skills.obsidian;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.fs.ConfinedRoot;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Markdown vault rooted at a folder. Paths are confined to it by {@link ConfinedRoot} ({@code OUTSIDE_VAULT});
 * this class adds what a note is: a {@code .md} file, not hidden, never the vault folder itself.
 */
final class Vault {

    static final long MAX_NOTE_BYTES = 2L * 1024 * 1024;

    private final ConfinedRoot root;

    Vault(Path folder) throws ToolException {
        try {
            this.root = ConfinedRoot.open(folder, "vault");
        } catch (IOException e) {
            throw new ToolException("NO_VAULT", "vault folder " + folder + " does not exist");
        }
    }

    Path root() {
        return root.root();
    }

    /** Every note ({@code *.md}, not hidden) under the root, vault-relative, sorted. Symlinks are not followed. */
    List<Path> notes() throws ToolException {
        try (Stream<Path> s = Files.walk(root.root(), 32, new FileVisitOption[0])) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(root.root()::relativize)
                    .filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> !hidden(p))
                    .sorted()
                    .forEach(out::add);
            return out;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ToolException("IO", "cannot list the vault: " + e.getMessage());
        }
    }

    /** Resolves an existing note, refusing anything outside the vault (symlinks included) and the vault itself. */
    Path existing(String relative) throws ToolException {
        Path real;
        try {
            real = root.existing(relative);
        } catch (ToolException e) {
            throw "NOT_FOUND".equals(e.code()) ? new ToolException("NOT_FOUND", "no note '" + relative + "'") : e;
        }
        if (real.equals(root.root())) {
            throw new ToolException(root.outsideCode(), "'" + relative + "' is the vault itself, not a note");
        }
        return real;
    }

    /** Resolves a path for a new note: its existing ancestors must be real folders inside the vault. */
    Path forCreate(String relative) throws ToolException {
        String name = relative.endsWith(".md") ? relative.substring(0, relative.length() - 3) : relative;
        int slash = name.lastIndexOf('/');
        if (name.endsWith("/") || name.substring(slash + 1).isBlank() || name.substring(slash + 1).startsWith(".")) {
            throw new ToolException("BAD_PATH", "'" + relative + "' does not name a note (it needs a file name, not hidden)");
        }
        return root.forWrite(name + ".md");
    }

    String relative(Path absolute) {
        return root.relative(absolute);
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

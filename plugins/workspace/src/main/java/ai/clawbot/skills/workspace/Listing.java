package ai.clawbot.skills.workspace;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code list} tool: a folder's entries, or its whole tree, sorted, without following symlinks (a link is
 * listed as a link, never entered) and without descending into {@code .git}.
 */
final class Listing {

    static final int DEFAULT_LIMIT = 500;
    private static final int MAX_DEPTH = 20;
    /** A walk stops collecting here (a huge tree such as node_modules must not exhaust the sandbox's memory). */
    private static final int MAX_COLLECTED = 50_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Listing() {
    }

    static ToolResult list(ConfinedRoot root, JsonNode args) throws ToolException {
        String name = args.path("path").asText(".");
        Path folder = root.folder(name);
        boolean recursive = args.path("recursive").asBoolean(false);
        int limit = args.path("limit").asInt(DEFAULT_LIMIT);
        List<Path> paths;
        try {
            paths = recursive ? walk(folder) : direct(folder);
        } catch (IOException | UncheckedIOException e) {
            throw new ToolException("IO", "cannot list '" + name + "': " + e.getMessage());
        }
        ArrayNode entries = JSON.arrayNode();
        StringBuilder text = new StringBuilder();
        for (Path p : paths.subList(0, Math.min(limit, paths.size()))) {
            ObjectNode e = entries.addObject().put("path", root.relative(p));
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String type = a.isSymbolicLink() ? "symlink" : a.isDirectory() ? "dir" : a.isRegularFile() ? "file" : "other";
                e.put("type", type);
                if (a.isRegularFile()) {
                    e.put("size", a.size());
                }
                text.append(root.relative(p)).append(switch (type) {
                    case "dir" -> "/";
                    case "symlink" -> "@";
                    case "file" -> "  " + a.size();
                    default -> "";
                }).append('\n');
            } catch (IOException ex) {
                e.put("type", "unknown");
                text.append(root.relative(p)).append('\n');
            }
        }
        boolean truncated = paths.size() > limit;
        ObjectNode out = JSON.objectNode().put("path", root.relative(folder)).put("truncated", truncated);
        out.set("entries", entries);
        if (truncated) {
            text.append("… more entries (raise limit, or list a sub-folder)\n");
        }
        return ToolResult.of(entries.isEmpty() ? "'" + name + "' is empty" : text.toString().strip(), out);
    }

    private static List<Path> direct(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    /** The tree under {@code folder}; symlinks are not followed, {@code .git} is listed but not entered. */
    private static List<Path> walk(Path folder) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(folder, Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(folder)) {
                    return FileVisitResult.CONTINUE;
                }
                out.add(dir);
                if (out.size() >= MAX_COLLECTED) {
                    return FileVisitResult.TERMINATE;
                }
                return dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                out.add(file);
                return out.size() >= MAX_COLLECTED ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                out.add(file); // unreadable: listed, not entered
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }
}

package ai.clawbot.skills.obsidian;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The obsidian skill: search, full-text search, read and create notes in a Markdown vault. The vault is
 * the workspace mount, or its sub-folder named by the {@code vault} setting.
 */
public final class ObsidianSkill implements Skill {

    private static final int DEFAULT_LIMIT = 50;
    private static final int SNIPPETS_PER_NOTE = 5;
    private static final int SNIPPET_CHARS = 200;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of(
                "search", this::search,
                "search_content", this::searchContent,
                "read", this::read,
                "create", this::create);
    }

    private static Vault vault(ToolContext ctx) throws ToolException {
        return new Vault(ctx.workspace().resolve(ctx.setting("vault").orElse(".")));
    }

    private ToolResult search(JsonNode args, ToolContext ctx) throws ToolException {
        Vault vault = vault(ctx);
        String q = args.path("query").asText().toLowerCase(Locale.ROOT);
        int limit = args.path("limit").asInt(DEFAULT_LIMIT);
        ArrayNode notes = JSON.arrayNode();
        StringBuilder text = new StringBuilder();
        for (Path note : vault.notes()) {
            if (notes.size() >= limit) {
                break;
            }
            if (note.toString().toLowerCase(Locale.ROOT).contains(q)) {
                notes.addObject().put("path", note.toString()).put("name", noteName(note));
                text.append(note).append('\n');
            }
        }
        ObjectNode out = JSON.objectNode();
        out.set("notes", notes);
        return ToolResult.of(notes.isEmpty() ? "no note names match '" + q + "'" : text.toString().strip(), out);
    }

    private ToolResult searchContent(JsonNode args, ToolContext ctx) throws ToolException {
        Vault vault = vault(ctx);
        String query = args.path("query").asText();
        String q = query.toLowerCase(Locale.ROOT);
        int limit = args.path("limit").asInt(DEFAULT_LIMIT);
        record Hit(Path note, List<ObjectNode> snippets, int count) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Path note : vault.notes()) {
            Path file = vault.root().resolve(note);
            List<String> lines;
            try {
                if (Files.size(file) > Vault.MAX_NOTE_BYTES) {
                    continue;
                }
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue; // unreadable or not UTF-8: not a note we can search
            }
            List<ObjectNode> snippets = new ArrayList<>();
            int count = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).toLowerCase(Locale.ROOT).contains(q)) {
                    count++;
                    if (snippets.size() < SNIPPETS_PER_NOTE) {
                        snippets.add(JSON.objectNode().put("line", i + 1).put("text", clip(lines.get(i).strip())));
                    }
                }
            }
            if (count > 0) {
                hits.add(new Hit(note, snippets, count));
            }
        }
        hits.sort((a, b) -> a.count() != b.count() ? Integer.compare(b.count(), a.count()) : a.note().compareTo(b.note()));
        ArrayNode matches = JSON.arrayNode();
        StringBuilder text = new StringBuilder();
        for (Hit h : hits.subList(0, Math.min(limit, hits.size()))) {
            ObjectNode m = matches.addObject().put("path", h.note().toString()).put("name", noteName(h.note()))
                    .put("matches", h.count());
            ArrayNode sn = m.putArray("snippets");
            h.snippets().forEach(sn::add);
            text.append(h.note()).append(" (").append(h.count()).append(")\n");
            h.snippets().forEach(s -> text.append("  ").append(s.get("line").asInt()).append(": ")
                    .append(s.get("text").asText()).append('\n'));
        }
        ObjectNode out = JSON.objectNode();
        out.set("matches", matches);
        return ToolResult.of(matches.isEmpty() ? "no note contains '" + query + "'" : text.toString().strip(), out);
    }

    private ToolResult read(JsonNode args, ToolContext ctx) throws ToolException {
        Vault vault = vault(ctx);
        Path file = vault.existing(args.path("path").asText());
        try {
            if (!Files.isRegularFile(file)) {
                throw new ToolException("NOT_A_NOTE", "'" + args.path("path").asText() + "' is not a file");
            }
            if (Files.size(file) > Vault.MAX_NOTE_BYTES) {
                throw new ToolException("TOO_LARGE", "note is over " + Vault.MAX_NOTE_BYTES + " bytes");
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            return ToolResult.of(content, JSON.objectNode().put("path", vault.relative(file)).put("content", content));
        } catch (IOException e) {
            throw new ToolException("IO", "cannot read note: " + e.getMessage());
        }
    }

    private ToolResult create(JsonNode args, ToolContext ctx) throws ToolException {
        Vault vault = vault(ctx);
        Path file = vault.forCreate(args.path("path").asText());
        boolean overwrite = args.path("overwrite").asBoolean(false);
        byte[] content = args.path("content").asText().getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(file.getParent());
            if (overwrite) {
                Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ToolException("EXISTS", "note '" + vault.relative(file) + "' exists; pass overwrite=true to replace it");
        } catch (IOException e) {
            throw new ToolException("IO", "cannot write note: " + e.getMessage());
        }
        String rel = vault.relative(file);
        return ToolResult.of("created " + rel, JSON.objectNode().put("path", rel).put("bytes", content.length)
                .put("overwrote", overwrite));
    }

    private static String noteName(Path note) {
        String f = note.getFileName().toString();
        return f.endsWith(".md") ? f.substring(0, f.length() - 3) : f;
    }

    private static String clip(String s) {
        return s.length() <= SNIPPET_CHARS ? s : s.substring(0, SNIPPET_CHARS - 1) + "…";
    }
}

package ai.clawbot.skills.workspace;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workspace skill, for coding agents: list, read, write and edit files in the mounted workspace, and run
 * commands there. Every path is workspace-relative and confined to it ({@link ConfinedRoot}); commands run
 * as argv arrays, never through a shell unless the caller asks for one ({@link CommandRunner}).
 */
public final class WorkspaceSkill implements Skill {

    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int MAX_OUTPUT_BYTES = 64 * 1024;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CommandRunner runner = CommandRunner.create(MAX_OUTPUT_BYTES);

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of(
                "list", (args, ctx) -> Listing.list(root(ctx), args),
                "read", this::read,
                "write", this::write,
                "edit", this::edit,
                "exec", this::exec);
    }

    /** The workspace folder; it must exist (the sandbox mounts it). */
    private static ConfinedRoot root(ToolContext ctx) throws ToolException {
        try {
            return ConfinedRoot.open(ctx.workspace(), "workspace");
        } catch (java.io.IOException e) {
            throw new ToolException("NO_WORKSPACE", "no workspace folder is mounted at " + ctx.workspace());
        }
    }

    private ToolResult read(JsonNode args, ToolContext ctx) throws ToolException {
        ConfinedRoot root = root(ctx);
        String name = args.path("path").asText();
        Path file = root.existing(name);
        String content = TextFiles.read(file, name);
        return ToolResult.of(content, JSON.objectNode().put("path", root.relative(file)).put("content", content));
    }

    private ToolResult write(JsonNode args, ToolContext ctx) throws ToolException {
        ConfinedRoot root = root(ctx);
        String name = args.path("path").asText();
        Path file = root.forWrite(name);
        String content = args.path("content").asText();
        boolean created = TextFiles.replace(file, content, name);
        String rel = root.relative(file);
        int bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return ToolResult.of((created ? "created " : "replaced ") + rel + " (" + bytes + " bytes)",
                JSON.objectNode().put("path", rel).put("bytes", bytes).put("created", created));
    }

    /** Replaces the one occurrence of {@code old_string}; none, or more than one, is refused and nothing changes. */
    private ToolResult edit(JsonNode args, ToolContext ctx) throws ToolException {
        ConfinedRoot root = root(ctx);
        String name = args.path("path").asText();
        String oldText = args.path("old_string").asText();
        String newText = args.path("new_string").asText();
        if (oldText.isEmpty()) {
            throw new ToolException("BAD_EDIT", "old_string is empty; use write to create or replace a whole file");
        }
        if (oldText.equals(newText)) {
            throw new ToolException("BAD_EDIT", "old_string and new_string are the same; nothing to change");
        }
        Path file = root.forWrite(name);
        String content = TextFiles.read(root.existing(name), name);
        int at = content.indexOf(oldText);
        if (at < 0) {
            throw new ToolException("NO_MATCH", "old_string was not found in '" + name
                    + "'; it must match the file exactly, whitespace and line breaks included");
        }
        int count = occurrences(content, oldText);
        if (count > 1) {
            throw new ToolException("AMBIGUOUS_MATCH", "old_string occurs " + count + " times in '" + name
                    + "'; include more surrounding text so it matches exactly once");
        }
        String updated = content.substring(0, at) + newText + content.substring(at + oldText.length());
        TextFiles.replace(file, updated, name);
        int line = 1 + (int) content.substring(0, at).chars().filter(c -> c == '\n').count();
        String rel = root.relative(file);
        return ToolResult.of("edited " + rel + " at line " + line,
                JSON.objectNode().put("path", rel).put("line", line)
                        .put("bytes", updated.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    private ToolResult exec(JsonNode args, ToolContext ctx) throws ToolException {
        ConfinedRoot root = root(ctx);
        List<String> argv = new ArrayList<>();
        args.path("command").forEach(a -> argv.add(a.asText()));
        Path cwd = root.folder(args.path("cwd").asText("."));
        int seconds = args.path("timeout_seconds").asInt(DEFAULT_TIMEOUT_SECONDS);
        CommandRunner.Outcome o = runner.run(argv, cwd, Duration.ofSeconds(seconds));
        ObjectNode out = JSON.objectNode();
        out.putArray("command").addAll(argv.stream().map(JSON::textNode).toList());
        out.put("cwd", root.relative(cwd));
        if (o.exitCode() == null) {
            out.putNull("exitCode");
        } else {
            out.put("exitCode", o.exitCode());
        }
        out.put("timedOut", o.timedOut()).put("durationMs", o.durationMs())
                .put("stdout", o.stdout()).put("stdoutTruncated", o.stdoutTruncated())
                .put("stderr", o.stderr()).put("stderrTruncated", o.stderrTruncated());
        StringBuilder text = new StringBuilder();
        text.append(o.timedOut() ? "timed out after " + seconds + " s; killed" : "exit code " + o.exitCode())
                .append(" (").append(o.durationMs()).append(" ms)");
        section(text, "stdout", o.stdout(), o.stdoutTruncated());
        section(text, "stderr", o.stderr(), o.stderrTruncated());
        return ToolResult.of(text.toString(), out);
    }

    private static void section(StringBuilder text, String name, String body, boolean truncated) {
        if (body.isEmpty()) {
            return;
        }
        text.append("\n--- ").append(name).append(truncated ? " (first " + MAX_OUTPUT_BYTES + " bytes)" : "")
                .append(" ---\n").append(body);
        if (!body.endsWith("\n")) {
            text.append('\n');
        }
    }

    private static int occurrences(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}

package ai.clawbot.skills.mcporter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator-configured MCP server, in mcporter.json's shape: {@code {command, args, env, cwd}} for stdio or
 * {@code {baseUrl, headers}} for streamable HTTP. Built only from the skill's settings file, never from a tool
 * argument.
 */
record ServerEntry(String name, String command, List<String> args, Map<String, String> env, String cwd,
                   String baseUrl, Map<String, String> headers, Integer timeoutMs, Integer initTimeoutMs,
                   String description) {

    ServerEntry {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        headers = Map.copyOf(headers);
    }

    /** The same entry with the header values the host resolved (the settings hold only their references). */
    ServerEntry withHeaders(Map<String, String> resolved) {
        return new ServerEntry(name, command, args, env, cwd, baseUrl, resolved, timeoutMs, initTimeoutMs, description);
    }

    boolean stdio() {
        return command != null;
    }

    /** What {@code list_servers} shows: the command line or URL, never env values or header values. */
    String target() {
        return stdio() ? command + (args.isEmpty() ? "" : " " + String.join(" ", args)) : baseUrl;
    }

    static ServerEntry from(String name, JsonNode n) throws IllegalArgumentException {
        String command = text(n, "command");
        String baseUrl = text(n, "baseUrl");
        if ((command == null) == (baseUrl == null)) {
            throw new IllegalArgumentException("server '" + name + "' needs exactly one of command (stdio) or baseUrl (HTTP)");
        }
        List<String> args = new ArrayList<>();
        n.path("args").forEach(a -> args.add(a.asText()));
        return new ServerEntry(name, command, args, strings(n.path("env")), text(n, "cwd"), baseUrl,
                strings(n.path("headers")), n.hasNonNull("timeout_ms") ? n.get("timeout_ms").asInt() : null,
                n.hasNonNull("init_timeout_ms") ? n.get("init_timeout_ms").asInt() : null, text(n, "description"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode o) {
        Map<String, String> out = new LinkedHashMap<>();
        o.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

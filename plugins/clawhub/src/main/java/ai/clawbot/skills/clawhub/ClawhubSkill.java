package ai.clawbot.skills.clawhub;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.net.ProxyEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The clawhub skill: reads a registry through ClawHub's HTTP API ({@code /api/v1/search}, {@code /api/v1/skills/{id}})
 * at the {@value #REGISTRY_URL} setting, through the sandbox's egress proxy. {@code install} and {@code update}
 * download and install nothing: by the time they run, the gateway has shown the operator the verified preview and
 * permission diff and acted on the answer; they only report the request back to the agent.
 */
public final class ClawhubSkill implements Skill {

    public static final String REGISTRY_URL = "registry_url";
    static final int MAX_BYTES = 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    public ClawhubSkill() {
        this(System.getenv());
    }

    ClawhubSkill(Map<String, String> env) {
        this.http = HttpClient.newBuilder().proxy(ProxyEnv.of(env)).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("search", this::search, "info", this::info, "list", this::list,
                "install", (a, c) -> request("install", a), "update", (a, c) -> request("update", a));
    }

    private ToolResult search(JsonNode args, ToolContext ctx) throws ToolException {
        int limit = args.path("limit").asInt(10);
        JsonNode r = get(ctx, "api/v1/search?q=" + URLEncoder.encode(args.path("query").asText(), StandardCharsets.UTF_8)
                + "&limit=" + limit);
        StringBuilder b = new StringBuilder();
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode e : r.path("results")) {
            b.append(e.path("slug").asText()).append(' ').append(e.path("version").asText()).append(": ")
                    .append(e.path("summary").asText()).append('\n');
            results.addObject().put("id", e.path("slug").asText()).put("version", e.path("version").asText())
                    .put("summary", e.path("summary").asText());
        }
        return ToolResult.of(results.isEmpty() ? "no plugins match" : b.toString().strip(),
                JSON.createObjectNode().set("results", results));
    }

    private ToolResult info(JsonNode args, ToolContext ctx) throws ToolException {
        String id = args.path("id").asText();
        JsonNode r = get(ctx, "api/v1/skills/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        JsonNode e = r.path("clawbot");
        if (!e.isObject()) {
            throw new ToolException("NOT_A_CLAWBOT_REGISTRY", "the registry gave no signed index entry for " + id);
        }
        String version = args.path("version").asText("");
        if (!version.isEmpty() && !version.equals(e.path("version").asText())) {
            throw new ToolException("VERSION_NOT_LATEST", "the registry's entry is for " + id + " "
                    + e.path("version").asText() + "; ask install for " + version + " and the operator sees its preview");
        }
        StringBuilder b = new StringBuilder();
        b.append(id).append(' ').append(e.path("version").asText()).append(": ").append(e.path("description").asText()).append('\n');
        b.append("tools:");
        e.path("tools").forEach(t -> b.append(' ').append(t.path("name").asText()).append(" [").append(t.path("effect").asText()).append(']'));
        b.append("\nworkspace: ").append(e.at("/permissions/workspace").asText("none"));
        b.append("\nsecrets: ").append(e.at("/permissions/secrets").isEmpty() ? "none" : e.at("/permissions/secrets").toString());
        b.append("\nnetwork: ").append(e.at("/network/allow").isEmpty() ? "none" : e.at("/network/allow").toString());
        b.append("\nimage: ").append(e.path("image").asText());
        b.append("\nsigner key: ").append(e.path("keyId").asText());
        ObjectNode structured = e.deepCopy();
        structured.remove("signature");
        return ToolResult.of(b.toString(), structured);
    }

    /** The registry's plugins (newest each) against what is installed ({@code installed} setting, from the gateway). */
    private ToolResult list(JsonNode args, ToolContext ctx) throws ToolException {
        JsonNode r = get(ctx, "api/v1/search?q=&limit=200");
        JsonNode installed;
        try {
            installed = JSON.readTree(ctx.setting("installed").orElse("{}"));
        } catch (IOException e) {
            installed = JSON.createObjectNode();
        }
        StringBuilder b = new StringBuilder();
        ArrayNode plugins = JSON.createArrayNode();
        for (JsonNode e : r.path("results")) {
            String id = e.path("slug").asText();
            String available = e.path("version").asText();
            String have = installed.path(id).asText(null);
            String state = have == null ? "available" : have.equals(available) ? "installed" : "update available";
            b.append(id).append(' ').append(available).append(" - ").append(state)
                    .append(have != null && !have.equals(available) ? " (installed " + have + ")" : "").append('\n');
            ObjectNode o = plugins.addObject().put("id", id).put("available", available).put("state", state);
            if (have != null) {
                o.put("installed", have);
            }
        }
        return ToolResult.of(plugins.isEmpty() ? "the registry offers no plugins" : b.toString().strip(),
                JSON.createObjectNode().set("plugins", plugins));
    }

    /** What install and update answer once the gateway let them run: the operator approved, the gateway installed. */
    private static ToolResult request(String kind, JsonNode args) {
        String id = args.path("id").asText();
        String version = args.path("version").asText("");
        return ToolResult.of("The operator approved the " + kind + " request for " + id + (version.isEmpty() ? "" : " " + version)
                        + "; the gateway installed the verified plugin (this skill installs nothing itself).",
                JSON.createObjectNode().put("request", kind).put("id", id).put("approved", true));
    }

    private JsonNode get(ToolContext ctx, String path) throws ToolException {
        String base = ctx.setting(REGISTRY_URL).filter(s -> !s.isBlank()).orElseThrow(() -> new ToolException(
                "NO_REGISTRY", "no registry configured: set plugins.entries.clawhub.config.registry_url"));
        URI uri = URI.create(base.endsWith("/") ? base : base + "/").resolve(path);
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(DEADLINE)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (body.length > MAX_BYTES) {
                throw new ToolException("TOO_LARGE", "the registry's answer is over " + MAX_BYTES + " bytes");
            }
            if (r.statusCode() == 404) {
                throw new ToolException("NOT_FOUND", "the registry has no " + path.replaceFirst("^api/v1/(skills/)?", ""));
            }
            if (r.statusCode() != 200) {
                throw new ToolException("REGISTRY_ERROR", "the registry answered " + r.statusCode());
            }
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ToolException("REGISTRY_UNREACHABLE", "cannot reach the registry: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("INTERRUPTED", "interrupted");
        }
    }
}

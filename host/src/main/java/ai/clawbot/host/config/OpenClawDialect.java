package ai.clawbot.host.config;

import ai.clawbot.manifests.JsonPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an OpenClaw {@code openclaw.json} the way OpenClaw does and turns it into the config this gateway runs:
 * {@code ${ENV}} and {@code {source: "env"}} secret references resolved, OpenClaw's provider {@code api} names
 * mapped to our adapters, {@code agents.entries.<id>} read as agents, and the keys OpenClaw knows but this gateway
 * does not serve dropped from the running config with one warning each. The file itself is never changed by
 * this: a write keeps every key and every {@code ${VAR}} as written.
 *
 * <p>A key neither OpenClaw nor this gateway knows is left in place, so the schema refuses it (a typo must not
 * become a silent warning). Key lists are OpenClaw 2026.9's config schema.
 */
public final class OpenClawDialect {

    /** OpenClaw's top-level keys this gateway does not serve. */
    static final Set<String> UNSUPPORTED_TOP = Set.of("env", "wizard", "diagnostics", "update", "telemetry", "browser",
            "ui", "secrets", "auth", "accessGroups", "acp", "nodeHost", "worktreeRoot", "worktreeAcceleration", "tools",
            "security", "bindings", "broadcast", "attachments", "messages", "tts", "commands", "approvals", "transcripts",
            "cron", "hooks", "channels", "discovery", "talk", "cloudWorkers", "desktop", "memory", "mcp", "skills",
            "surfaces", "proxy");

    /** OpenClaw's {@code gateway.*} keys this gateway does not serve. */
    static final Set<String> UNSUPPORTED_GATEWAY = Set.of("mode", "customBindHost", "publicOrigin", "portals", "cliAgents",
            "terminal", "roles", "trustedProxies", "allowRealIpFallback", "tools", "tailscale", "remote", "reload", "tls",
            "push", "nodes");

    /** OpenClaw's {@code gateway.controlUi.*} and {@code gateway.auth.*} keys this gateway does not serve. */
    static final Set<String> UNSUPPORTED_CONTROL_UI = Set.of("dangerouslyDisableDeviceAuth", "basePath", "experimental",
            "root", "environment", "communityInvite", "github", "sessionObserver", "embedSandbox", "allowExternalEmbedUrls",
            "automaticallyFetchFavicons", "dangerouslyAllowHostHeaderOriginFallback");
    static final Set<String> UNSUPPORTED_AUTH = Set.of("password", "allowTailscale", "identityScopes", "trustedProxy");

    /** OpenClaw's {@code models.providers.<id>.*} keys this gateway does not serve. */
    static final Set<String> UNSUPPORTED_PROVIDER = Set.of("auth", "maxTokens", "timeoutSeconds", "region",
            "injectNumCtxForOpenAICompat", "params", "agentRuntime", "localService", "headers", "authHeader", "request",
            "enabled");

    /** Keys of an OpenClaw model entry that would change behaviour here if they were honoured; the rest is metadata. */
    static final Set<String> UNSUPPORTED_MODEL = Set.of("compat", "headers", "params", "api");

    /** Keys of an agent this gateway reads (our schema's agent keys). */
    static final Set<String> AGENT_KEYS = Set.of("id", "default", "name", "type", "model", "systemPrompt", "skills",
            "tools", "workspace", "permissions", "approvals");

    /** OpenClaw's agent-entry keys this gateway does not serve. */
    static final Set<String> UNSUPPORTED_AGENT = Set.of("description", "cwd", "agentDir", "utilityModel", "decisionModel",
            "models", "modelPolicy", "thinkingDefault", "verboseDefault", "toolProgressDetail", "reasoningDefault",
            "fastModeDefault", "contextInjection", "bootstrapMaxChars", "bootstrapTotalMaxChars", "experimental",
            "subagents", "embeddedAgent", "params", "runtime", "enabled", "rememberAcrossConversations", "sources", "memory",
            "humanDelay", "typingMode", "tts", "skillsLimits", "contextLimits", "heartbeat", "identity", "groupChat",
            "sandbox");

    /** Keys of {@code agents.defaults} this gateway reads; any other is OpenClaw's and is warned about. */
    static final Set<String> DEFAULTS_KEYS = Set.of("model", "skills", "tools", "permissions", "maxIterations");

    /** OpenClaw api names → the adapter that serves them here. */
    static final Map<String, String> API_ALIASES = Map.of("openai-completions", "openai-compatible",
            "anthropic-messages", "anthropic", "ollama", "openai-compatible");

    /** The adapters built into this gateway ({@code ModelProviders.withBuiltIns()}). */
    public static final Set<String> SERVED_APIS = Set.of("openai", "openai-compatible", "anthropic", "google-generative-ai");

    private static final Pattern ENV_REF = Pattern.compile("\\$\\$\\{|\\$\\{([A-Z_][A-Z0-9_]*)}");

    /**
     * What a raw config means here.
     *
     * @param config   the config to validate and run (a new tree; the raw one is untouched)
     * @param warnings one per key that is ignored, at its JSON path
     * @param errors   what makes the config unusable (a missing environment variable, an api no adapter serves)
     * @param mapped   what was translated, one line each, for {@code claw config migrate}
     */
    public record Normalized(ObjectNode config, List<ConfigProblem> warnings, List<ConfigProblem> errors,
                             List<String> mapped) {
        public Normalized {
            warnings = List.copyOf(warnings);
            errors = List.copyOf(errors);
            mapped = List.copyOf(mapped);
        }
    }

    private final Function<String, String> env;
    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<String> mapped = new ArrayList<>();

    private OpenClawDialect(Function<String, String> env) {
        this.env = env;
    }

    /** Normalizes {@code raw}; {@code env} looks environment variables up (null when unset). */
    public static Normalized normalize(ObjectNode raw, Function<String, String> env) {
        OpenClawDialect d = new OpenClawDialect(env);
        ObjectNode config = raw.deepCopy();
        // Ignored keys go first: an ignored section must not need its environment variables set.
        d.drop(config, "$", UNSUPPORTED_TOP, "OpenClaw's '%s' is not supported by this gateway");
        if (config.path("gateway") instanceof ObjectNode gateway) {
            d.drop(gateway, "$.gateway", UNSUPPORTED_GATEWAY, "gateway.%s is not supported by this gateway");
            if (gateway.path("controlUi") instanceof ObjectNode ui) {
                d.drop(ui, "$.gateway.controlUi", UNSUPPORTED_CONTROL_UI, "gateway.controlUi.%s is not supported by this gateway");
            }
            if (gateway.path("auth") instanceof ObjectNode auth) {
                d.drop(auth, "$.gateway.auth", UNSUPPORTED_AUTH, "gateway.auth.%s is not supported by this gateway");
            }
        }
        if (config.path("logging") instanceof ObjectNode logging) {
            d.dropAllBut(logging, "$.logging", Set.of("level"));
        }
        if (config.path("agents") instanceof ObjectNode agents) {
            d.agents(agents);
        }
        if (config.path("models") instanceof ObjectNode models) {
            d.models(models);
        }
        d.substitute(config, "$");
        return new Normalized(config, d.warnings, d.errors, d.mapped);
    }

    private void agents(ObjectNode agents) {
        if (agents.path("defaults") instanceof ObjectNode defaults) {
            dropAllBut(defaults, "$.agents.defaults", DEFAULTS_KEYS);
        }
        drop(agents, "$.agents", Set.of("ownership"), "agents.%s is not supported by this gateway");
        if (agents.path("entries") instanceof ObjectNode entries) {
            // OpenClaw 2026's form: agents keyed by id. Read as agents.list[], in file order.
            ArrayNode list = agents.path("list") instanceof ArrayNode l ? l : agents.putArray("list");
            for (Map.Entry<String, JsonNode> e : entries.properties()) {
                ObjectNode agent = agents.objectNode().put("id", e.getKey());
                if (e.getValue() instanceof ObjectNode body) {
                    body.properties().forEach(f -> {
                        if (!f.getKey().equals("id")) {
                            agent.set(f.getKey(), f.getValue());
                        }
                    });
                }
                list.add(agent);
            }
            agents.remove("entries");
            mapped.add("$.agents.entries: " + entries.size() + " agent(s) read as agents.list[]");
        }
        if (agents.path("list") instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof ObjectNode agent) {
                    String path = "$.agents.list[" + i + "]";
                    drop(agent, path, UNSUPPORTED_AGENT, "agent key '%s' is not supported by this gateway");
                }
            }
        }
    }

    private void models(ObjectNode models) {
        drop(models, "$.models", Set.of("mode", "catalogRefresh"), "models.%s is not supported by this gateway"
                + " (there is no built-in model catalog to merge with)");
        if (!(models.path("providers") instanceof ObjectNode providers)) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : providers.properties()) {
            if (!(e.getValue() instanceof ObjectNode provider)) {
                continue;
            }
            String path = JsonPaths.child("$.models.providers", e.getKey());
            drop(provider, path, UNSUPPORTED_PROVIDER, "provider key '%s' is not supported by this gateway");
            api(provider, path);
            if (provider.path("models") instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof ObjectNode model) {
                        drop(model, path + ".models[" + i + "]", UNSUPPORTED_MODEL,
                                "model key '%s' is not supported by this gateway");
                    }
                }
            }
        }
    }

    private void api(ObjectNode provider, String path) {
        JsonNode api = provider.get("api");
        if (api == null || !api.isTextual()) {
            return; // absent: ModelsConfig's default; not a string: the schema says so
        }
        String name = api.textValue();
        String target = API_ALIASES.get(name);
        if (name.equals("openai-completions") && !provider.has("baseUrl")) {
            target = "openai"; // OpenAI's own endpoint
        }
        if (name.equals("ollama")) {
            // Ollama serves the OpenAI wire format under /v1 beside its native /api.
            String base = provider.path("baseUrl").asText("http://127.0.0.1:11434").replaceAll("/+$", "");
            String v1 = base.endsWith("/v1") ? base : base + "/v1";
            provider.put("baseUrl", v1);
            mapped.add(path + ".baseUrl: " + base + " → " + v1 + " (Ollama's OpenAI-compatible endpoint)");
        }
        if (target != null) {
            provider.put("api", target);
            mapped.add(path + ".api: " + name + " → " + target);
        } else if (!SERVED_APIS.contains(name)) {
            errors.add(new ConfigProblem(path + ".api", "no adapter serves api '" + name + "' (served: "
                    + String.join(", ", new java.util.TreeSet<>(SERVED_APIS)) + ", and OpenClaw's "
                    + String.join(", ", new java.util.TreeSet<>(API_ALIASES.keySet())) + ")"));
        }
    }

    /** Resolves {@code ${VAR}} in every string ({@code $${VAR}} stays literal) and env secret references. */
    private void substitute(JsonNode node, String path) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                String child = JsonPaths.child(path, e.getKey());
                JsonNode v = e.getValue();
                if (v instanceof ObjectNode ref && isSecretRef(ref)) {
                    e.setValue(secretRef(ref, child));
                } else if (v.isTextual()) {
                    e.setValue(TextNode.valueOf(expand(v.textValue(), child)));
                } else {
                    substitute(v, child);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(expand(a.get(i).textValue(), path + "[" + i + "]")));
                } else {
                    substitute(a.get(i), path + "[" + i + "]");
                }
            }
        }
    }

    private static boolean isSecretRef(ObjectNode o) {
        return o.size() == 3 && o.path("source").isTextual() && o.path("provider").isTextual() && o.path("id").isTextual();
    }

    private JsonNode secretRef(ObjectNode ref, String path) {
        String source = ref.get("source").textValue();
        if (!source.equals("env")) {
            errors.add(new ConfigProblem(path, "secret reference source '" + source + "' is not supported (use"
                    + " {source: \"env\", ...}, \"${VAR}\", or the gateway's vault)"));
            return ref;
        }
        String value = env.apply(ref.get("id").textValue());
        if (value == null) {
            errors.add(new ConfigProblem(path, "environment variable " + ref.get("id").textValue() + " is not set"));
            return ref;
        }
        return TextNode.valueOf(value);
    }

    private String expand(String text, String path) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher m = ENV_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "${";
            } else {
                replacement = env.apply(m.group(1));
                if (replacement == null) {
                    errors.add(new ConfigProblem(path, "environment variable " + m.group(1) + " is not set"));
                    replacement = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void drop(ObjectNode node, String path, Set<String> unsupported, String why) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (unsupported.contains(key)) {
                it.remove();
                warnings.add(new ConfigProblem(JsonPaths.child(path, key), why.formatted(key) + "; ignored (kept in the file)"));
            }
        }
    }

    private void dropAllBut(ObjectNode node, String path, Set<String> supported) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!supported.contains(key)) {
                it.remove();
                warnings.add(new ConfigProblem(JsonPaths.child(path, key), "'" + key
                        + "' is not supported by this gateway; ignored (kept in the file)"));
            }
        }
    }
}

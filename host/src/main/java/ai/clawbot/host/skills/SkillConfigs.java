package ai.clawbot.host.skills;

import ai.clawbot.host.config.ConfigProblem;
import ai.clawbot.host.sandbox.egress.EgressGrant;
import ai.clawbot.manifests.JsonPaths;
import ai.clawbot.manifests.ManifestCheck.Violation;
import ai.clawbot.manifests.SkillSettings;
import ai.clawbot.plugin.manifest.NetworkGrant;
import ai.clawbot.plugin.manifest.SkillManifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a skill's part of {@code openclaw.json}: {@code plugins.entries.<id>.config} checked against the manifest's
 * {@code settings:} schema (JSON path in every problem), defaults filled in, the old string map
 * {@code plugins.entries.<id>.settings} merged underneath (config wins on a shared key); and the endpoints the
 * operator put in granted settings, each checked against the grant's signed bounds (ports, schemes, any-host), with
 * {@code plugins.entries.<id>.grants.<setting>.allowPrivate} read per grant.
 */
public final class SkillConfigs {

    private static final Pattern HOST_PORT = Pattern.compile("(\\*|[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?):([1-9][0-9]{0,4})");

    private SkillConfigs() {
    }

    /** The configuration of the skill {@code m} under {@code plugins} (the config's {@code plugins} object). */
    public static SkillConfig resolve(SkillManifest m, JsonNode plugins) {
        String base = "$.plugins.entries" + JsonPaths.child("", m.id());
        JsonNode entry = plugins == null ? JsonNodeFactory.instance.missingNode() : plugins.path("entries").path(m.id());
        List<ConfigProblem> problems = new ArrayList<>();
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        entry.path("settings").properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                settings.put(e.getKey(), e.getValue().asText());
            }
        });
        JsonNode config = entry.path("config");
        if (!config.isMissingNode() && !config.isObject()) {
            return invalid(settings, new ConfigProblem(base + ".config", "must be an object"));
        }
        if (m.settingsSchema().isPresent()) {
            JsonNode schema = m.settingsSchema().get();
            JsonNode value = config.isMissingNode() ? JsonNodeFactory.instance.objectNode() : config;
            for (Violation v : SkillSettings.create().check(schema, value, base + ".config")) {
                problems.add(new ConfigProblem(v.path(), v.reason()));
            }
            settings.setAll(SkillSettings.withDefaults(schema, value));
        } else if (!config.isMissingNode()) {
            problems.add(new ConfigProblem(base + ".config", "skill '" + m.id() + "' declares no settings; use "
                    + base + ".settings for plain strings"));
        }
        List<EgressGrant> grants = new ArrayList<>();
        problems.addAll(checkGrantOptions(m, entry.path("grants"), base + ".grants"));
        if (problems.isEmpty()) {
            for (NetworkGrant g : m.network().grants()) {
                grants(m, g, settings, entry.path("grants").path(g.setting()).path("allowPrivate").asBoolean(false),
                        base + ".config", grants, problems);
            }
        }
        return problems.isEmpty() ? new SkillConfig(settings, grants, List.of()) : new SkillConfig(settings, List.of(), problems);
    }

    /** Every problem with the skills' parts of {@code config} (the whole {@code openclaw.json}); empty when fine. */
    public static List<ConfigProblem> check(JsonNode config, Collection<SkillManifest> skills) {
        List<ConfigProblem> out = new ArrayList<>();
        for (SkillManifest m : skills) {
            out.addAll(resolve(m, config.path("plugins")).problems());
        }
        return out;
    }

    /**
     * The config schema with each skill's settings schema in place ({@code plugins.entries.<id>.config}) and, for
     * clients, also under {@code skills.<id>} with the skill's grants.
     */
    public static ObjectNode schemaWith(ObjectNode configSchema, Collection<SkillManifest> skills) {
        ObjectNode out = configSchema.deepCopy();
        ObjectNode entries = out.withObject("/properties/plugins/properties/entries/properties");
        ObjectNode forClients = out.putObject("skills");
        for (SkillManifest m : skills) {
            if (m.settingsSchema().isEmpty()) {
                continue;
            }
            ObjectNode entry = entries.withObjectProperty(m.id()).put("type", "object");
            entry.withObjectProperty("properties").set("config", m.settingsSchema().get().deepCopy());
            ObjectNode s = forClients.putObject(m.id());
            s.set("settings", m.settingsSchema().get().deepCopy());
            s.set("grants", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(m.network().grants()));
        }
        return out;
    }

    private static List<ConfigProblem> checkGrantOptions(SkillManifest m, JsonNode options, String base) {
        List<ConfigProblem> out = new ArrayList<>();
        if (options.isMissingNode()) {
            return out;
        }
        if (!options.isObject()) {
            return List.of(new ConfigProblem(base, "must be an object keyed by granted setting"));
        }
        options.properties().forEach(e -> {
            String at = JsonPaths.child(base, e.getKey());
            if (m.network().grants().stream().noneMatch(g -> g.setting().equals(e.getKey()))) {
                out.add(new ConfigProblem(at, "skill '" + m.id() + "' grants no setting '" + e.getKey() + "'"));
                return;
            }
            e.getValue().properties().forEach(o -> {
                if (!o.getKey().equals("allowPrivate") || !o.getValue().isBoolean()) {
                    out.add(new ConfigProblem(JsonPaths.child(at, o.getKey()), "only allowPrivate (true or false) may be set here"));
                }
            });
        });
        return out;
    }

    private static void grants(SkillManifest m, NetworkGrant g, ObjectNode settings, boolean allowPrivate, String base,
                               List<EgressGrant> out, List<ConfigProblem> problems) {
        JsonNode value = settings;
        String path = base;
        for (String part : g.setting().split("\\.")) {
            value = value.path(part);
            path = JsonPaths.child(path, part);
        }
        List<JsonNode> items = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        if (value.isTextual()) {
            items.add(value);
            paths.add(path);
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                items.add(value.get(i));
                paths.add(path + "[" + i + "]");
            }
        }
        String name = "plugins.entries." + m.id() + ".config." + g.setting();
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual() || items.get(i).asText().isEmpty()) {
                continue;
            }
            try {
                EgressGrant eg = endpoint(items.get(i).asText(), g, name, allowPrivate);
                if (!m.network().allow().contains(eg.toString()) && !out.contains(eg)) {
                    out.add(eg);
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(paths.get(i), e.getMessage()));
            }
        }
    }

    /** One operator value as a destination within the grant's bounds; throws with the reason when outside them. */
    static EgressGrant endpoint(String text, NetworkGrant g, String name, boolean allowPrivate) {
        String host;
        int port;
        if (text.contains("://")) {
            URI u;
            try {
                u = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + e.getReason());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            List<String> schemes = g.schemes().isEmpty() ? List.of("http", "https") : g.schemes();
            if (!schemes.contains(scheme)) {
                throw new IllegalArgumentException("scheme '" + scheme + "' is not granted (allowed: " + schemes + ")");
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException("the URL has no host");
            }
            host = u.getHost();
            port = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        } else {
            Matcher mm = HOST_PORT.matcher(text);
            if (!mm.matches()) {
                throw new IllegalArgumentException("expected host:port or an http(s) URL");
            }
            host = mm.group(1);
            port = Integer.parseInt(mm.group(3));
        }
        if (host.equals(EgressGrant.ANY_HOST) && !g.anyHost()) {
            throw new IllegalArgumentException("'*' (any host) is not allowed for this grant");
        }
        if (!g.ports().isEmpty() && !g.ports().contains(port)) {
            throw new IllegalArgumentException("port " + port + " is not granted (allowed: " + g.ports() + ")");
        }
        return new EgressGrant(host, port, name, allowPrivate);
    }

    private static SkillConfig invalid(ObjectNode settings, ConfigProblem p) {
        return new SkillConfig(settings, List.of(), List.of(p));
    }
}

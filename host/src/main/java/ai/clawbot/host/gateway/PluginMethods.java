package ai.clawbot.host.gateway;

import ai.clawbot.host.skills.InstallOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.PluginInstaller;
import ai.clawbot.host.skills.PluginInstaller.Prepared;
import ai.clawbot.host.skills.PluginPreview;
import ai.clawbot.host.skills.RefusedPlugin;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.skills.SkillService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * {@code plugins.list|install|remove|enable|disable}. Every change reloads the catalog, which re-verifies
 * every jar. {@code plugins.install} without {@code confirm: true} only previews what the plugin may do.
 */
public final class PluginMethods {

    private final SkillService skills;
    private final EventHub hub;

    public PluginMethods(SkillService skills, EventHub hub) {
        this.skills = skills;
        this.hub = hub;
    }

    public List<MethodSpec> methods() {
        return List.of(
                MethodSpec.read("plugins.list", p -> list()),
                MethodSpec.admin("plugins.install", p -> changed(p.hasNonNull("registry") ? registryMethods().install(p) : install(p))),
                MethodSpec.read("plugins.search", p -> registryMethods().search(p)),
                MethodSpec.read("plugins.info", p -> registryMethods().info(p)),
                MethodSpec.read("plugins.registries", p -> registryMethods().registries()),
                MethodSpec.admin("plugins.remove", p -> changed(remove(p))),
                MethodSpec.admin("plugins.enable", p -> changed(setEnabled(p, true))),
                MethodSpec.admin("plugins.disable", p -> changed(setEnabled(p, false))));
    }

    /** Tells every reader that the installed set may have changed (a preview changes nothing, but is cheap). */
    private Object changed(Object result) {
        hub.broadcast(Events.PLUGINS_CHANGED, Frames.JSON.createObjectNode().put("skills", skills.catalog().skills().size()),
                Scopes.READ);
        return result;
    }

    private ObjectNode list() {
        SkillCatalog c = skills.catalog();
        ObjectNode out = Frames.JSON.createObjectNode();
        ArrayNode plugins = out.putArray("plugins");
        for (LoadedSkill s : c.skills()) {
            plugins.add(SkillJson.describe(s)
                    .put("enabled", true).put("file", s.source().getFileName().toString()));
        }
        for (LoadedSkill s : c.disabled()) {
            plugins.add(SkillJson.describe(s)
                    .put("enabled", false).put("file", s.source().getFileName().toString()));
        }
        ArrayNode refused = out.putArray("refused");
        for (RefusedPlugin r : c.refused()) {
            refused.addObject().put("file", r.file()).put("reason", r.reason()).put("message", r.message());
        }
        return out;
    }

    private RegistryPluginMethods registryMethods() {
        return new RegistryPluginMethods(skills);
    }

    private ObjectNode install(JsonNode params) throws GatewayException {
        String source = params.path("source").asText(params.path("path").asText(params.path("url").asText("")));
        if (source.isBlank()) {
            throw invalid("plugins.install needs 'source' (a jar path, a folder, or an http(s) URL)");
        }
        boolean confirm = params.path("confirm").asBoolean(false);
        List<Prepared> prepared = skills.installer().prepare(source);
        ObjectNode out = Frames.JSON.createObjectNode().put("confirmed", confirm);
        ArrayNode results = out.putArray("results");
        boolean changed = false;
        try {
            for (Prepared p : prepared) {
                switch (p) {
                    case Prepared.Refused r -> results.add(refused(r.refused()));
                    case Prepared.Ready ready -> {
                        if (!confirm) {
                            results.add(preview(ready.preview()).put("status", "preview"));
                            continue;
                        }
                        InstallOutcome o = skills.installer().install(ready.preview());
                        switch (o) {
                            case InstallOutcome.Installed i -> {
                                changed = true;
                                ObjectNode r = preview(i.plugin()).put("status", "installed");
                                if (i.replacedVersion() != null) {
                                    r.put("replacedVersion", i.replacedVersion());
                                }
                                results.add(r);
                            }
                            case InstallOutcome.AlreadyInstalled a -> results.add(preview(a.plugin()).put("status", "unchanged"));
                            case InstallOutcome.Refused r -> results.add(refused(r));
                        }
                    }
                }
            }
            if (changed) {
                skills.reload();
            }
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "install failed: " + e.getMessage()));
        }
        return out;
    }

    static ObjectNode preview(PluginPreview p) {
        return SkillJson.describe(p.manifest(), p.signerKeyId(), p.signerName(), p.jarSha256()).put("summary", p.describe());
    }

    static ObjectNode refused(InstallOutcome.Refused r) {
        return Frames.JSON.createObjectNode().put("status", "refused").put("source", r.source())
                .put("reason", r.reason()).put("message", r.message());
    }

    private ObjectNode remove(JsonNode params) throws GatewayException {
        String id = id(params);
        try {
            if (!skills.installer().remove(id)) {
                throw new GatewayException(ErrorShape.of("NOT_FOUND", "no installed plugin '" + id + "'",
                        GatewaySocket.details("UNKNOWN_PLUGIN")));
            }
            skills.reload();
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "remove failed: " + e.getMessage()));
        }
        return Frames.JSON.createObjectNode().put("id", id).put("removed", true);
    }

    private ObjectNode setEnabled(JsonNode params, boolean enabled) throws GatewayException {
        String id = id(params);
        try {
            boolean known = skills.installer().installedAll().stream().anyMatch(i -> i.id().equals(id));
            if (!known) {
                throw new GatewayException(ErrorShape.of("NOT_FOUND", "no installed plugin '" + id + "'",
                        GatewaySocket.details("UNKNOWN_PLUGIN")));
            }
            skills.states().set(id, enabled);
            skills.reload();
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "could not change plugin state: " + e.getMessage()));
        }
        return Frames.JSON.createObjectNode().put("id", id).put("enabled", enabled);
    }

    private static String id(JsonNode params) throws GatewayException {
        String id = params.path("id").asText("");
        if (!id.matches("[a-z][a-z0-9-]{1,39}")) {
            throw invalid("a plugin 'id' is required (lowercase letters, digits, '-')");
        }
        return id;
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorShape.of("INVALID_REQUEST", message, GatewaySocket.details("INVALID_PARAMS")));
    }
}

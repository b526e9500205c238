package ai.clawbot.host.gateway;

import ai.clawbot.host.registry.BoundedFetch;
import ai.clawbot.host.registry.PermissionDiff;
import ai.clawbot.host.registry.Registries;
import ai.clawbot.host.registry.RegistryClient;
import ai.clawbot.host.skills.InstallOutcome;
import ai.clawbot.host.skills.SkillService;
import ai.clawbot.signing.RegistryIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code plugins.search}, {@code plugins.info} and {@code plugins.install {registry, id, version?, confirm?}}:
 * plugins from a configured registry, through the same verify chain as the CLI. Without {@code confirm: true} an
 * install only previews (the plugin's powers and the permission diff against the installed version).
 */
final class RegistryPluginMethods {

    private final SkillService skills;

    RegistryPluginMethods(SkillService skills) {
        this.skills = skills;
    }

    private RegistryClient client(JsonNode params) throws GatewayException {
        String name = params.path("registry").asText("");
        try {
            Optional<Registries.Registry> r = Registries.open(skills.state().trust()).get(name);
            if (r.isEmpty()) {
                throw new GatewayException(ErrorShape.of("NOT_FOUND", "no registry '" + name + "' is configured",
                        GatewaySocket.details("UNKNOWN_REGISTRY")));
            }
            return RegistryClient.create(skills.state(), r.get(), skills.installer());
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "registries unreadable: " + e.getMessage()));
        }
    }

    private static GatewayException refused(BoundedFetch.Refused e) {
        return new GatewayException(ErrorShape.of("REFUSED", e.reason() + ": " + e.getMessage(), GatewaySocket.details(e.reason())));
    }

    ObjectNode registries() throws GatewayException {
        ObjectNode out = Frames.JSON.createObjectNode();
        var list = out.putArray("registries");
        try {
            for (Registries.Registry r : Registries.open(skills.state().trust()).all()) {
                var o = list.addObject().put("name", r.name()).put("url", r.url().toString());
                r.keyIds().forEach(o.putArray("indexKeys")::add);
            }
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "registries unreadable: " + e.getMessage()));
        }
        return out;
    }

    ObjectNode search(JsonNode params) throws GatewayException {
        RegistryClient c = client(params);
        ObjectNode out = Frames.JSON.createObjectNode().put("registry", c.registry().name());
        var results = out.putArray("results");
        try {
            for (RegistryIndex.Entry e : c.search(params.path("query").asText(""), params.path("limit").asInt(25))) {
                results.add(entry(c, e));
            }
        } catch (BoundedFetch.Refused e) {
            throw refused(e);
        }
        return out;
    }

    ObjectNode info(JsonNode params) throws GatewayException {
        RegistryClient c = client(params);
        try {
            String id = params.path("id").asText("");
            ObjectNode out = entry(c, c.info(id, version(params)));
            var versions = out.putArray("versions");
            c.versions(id).forEach(e -> versions.add(e.version()));
            return out;
        } catch (BoundedFetch.Refused e) {
            throw refused(e);
        }
    }

    private static ObjectNode entry(RegistryClient c, RegistryIndex.Entry e) {
        ObjectNode o = Frames.JSON.valueToTree(e);
        o.remove("signature");
        c.installedManifest(e.id()).ifPresent(m -> o.put("installedVersion", m.version()));
        return o;
    }

    private static Optional<String> version(JsonNode params) {
        return Optional.ofNullable(params.path("version").asText(null)).filter(v -> !v.isBlank());
    }

    ObjectNode install(JsonNode params) throws GatewayException {
        RegistryClient c = client(params);
        String id = params.path("id").asText("");
        boolean confirm = params.path("confirm").asBoolean(false);
        ObjectNode out = Frames.JSON.createObjectNode().put("confirmed", confirm);
        var results = out.putArray("results");
        RegistryClient.Offer offer;
        try {
            offer = c.prepare(id, version(params));
        } catch (BoundedFetch.Refused e) {
            results.add(PluginMethods.refused(new InstallOutcome.Refused(c.registry().name() + ":" + id, e.reason(), e.getMessage())));
            return out;
        }
        ObjectNode r = PluginMethods.preview(offer.preview()).put("summary", offer.describe());
        r.set("diff", diff(offer.diff()));
        if (!confirm) {
            results.add(r.put("status", "preview"));
            return out;
        }
        try {
            switch (skills.installer().install(offer.preview())) {
                case InstallOutcome.Installed i -> {
                    r.put("status", "installed");
                    if (i.replacedVersion() != null) {
                        r.put("replacedVersion", i.replacedVersion());
                    }
                    skills.reload();
                }
                case InstallOutcome.AlreadyInstalled a -> r.put("status", "unchanged");
                case InstallOutcome.Refused f -> {
                    results.add(PluginMethods.refused(f));
                    return out;
                }
            }
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "install failed: " + e.getMessage()));
        }
        results.add(r);
        return out;
    }

    static ObjectNode diff(PermissionDiff d) {
        ObjectNode o = Frames.JSON.createObjectNode().put("widens", d.widens()).put("text", d.describe());
        d.fromVersion().ifPresent(v -> o.put("fromVersion", v));
        var changes = o.putArray("changes");
        d.changes().forEach(ch -> changes.addObject().put("what", ch.what()).put("from", ch.from()).put("to", ch.to())
                .put("widens", ch.widens()));
        return o;
    }
}

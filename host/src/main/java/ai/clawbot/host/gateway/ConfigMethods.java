package ai.clawbot.host.gateway;

import ai.clawbot.host.config.ConfigConflictException;
import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigProblem;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.ConfigValidator;
import ai.clawbot.host.config.Snapshot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code config.get}, {@code config.patch} (RFC 7386 merge patch guarded by {@code baseHash}) and
 * {@code config.schema}. Secrets are redacted on the way out; a patch that sends the redaction marker back keeps
 * the stored secret. Agents apply at once; {@code gateway.*} changes are reported as needing a restart.
 */
public final class ConfigMethods {

    private final ConfigStore store;
    private final AtomicReference<GatewaySettings> settings;
    private final EventHub hub;

    private final java.util.function.Supplier<List<ai.clawbot.plugin.manifest.SkillManifest>> skills;

    public ConfigMethods(ConfigStore store, AtomicReference<GatewaySettings> settings, EventHub hub) {
        this(store, settings, hub, List::of);
    }

    /** {@code skills}: the loaded skills, whose settings schemas {@code config.schema} includes. */
    public ConfigMethods(ConfigStore store, AtomicReference<GatewaySettings> settings, EventHub hub,
                  java.util.function.Supplier<List<ai.clawbot.plugin.manifest.SkillManifest>> skills) {
        this.skills = skills;
        this.store = store;
        this.settings = settings;
        this.hub = hub;
    }

    public List<MethodSpec> methods() {
        return List.of(
                new MethodSpec("config.get", Scopes.ADMIN, false, c -> get()),
                new MethodSpec("config.schema", Scopes.ADMIN, false, c -> ai.clawbot.host.skills.SkillConfigs.schemaWith(
                        ConfigValidator.create().schema(), skills.get())),
                MethodSpec.admin("config.patch", this::patch));
    }

    public ObjectNode status() {
        Snapshot s = store.current();
        ObjectNode o = Frames.JSON.createObjectNode().put("path", store.file().toString()).put("hash", s.hash())
                .put("lastKnownGood", s.fromLastKnownGood());
        s.problem().ifPresent(p -> o.put("problem", p.getMessage()));
        return o;
    }

    private ObjectNode get() {
        ObjectNode o = status();
        o.put("valid", !store.current().fromLastKnownGood());
        o.set("config", store.redacted());
        return o;
    }

    private ObjectNode patch(JsonNode p) throws GatewayException {
        JsonNode baseHash = p.get("baseHash");
        if (baseHash == null || !baseHash.isTextual() || baseHash.asText().isBlank()) {
            throw Params.invalid("config.patch needs 'baseHash' (the hash config.get returned), so that a change made "
                    + "meanwhile is not overwritten", "baseHash");
        }
        JsonNode patch = p.get("patch");
        if (patch == null && p.has("raw")) {
            try {
                patch = Frames.JSON.readTree(Params.requireText(p, "raw", "config.patch"));
            } catch (IOException e) {
                throw Params.invalid("config.patch 'raw' is not JSON: " + e.getMessage(), "raw");
            }
        }
        if (patch == null || !patch.isObject()) {
            throw Params.invalid("config.patch needs 'patch', a JSON merge patch object", "patch");
        }
        Snapshot before = store.current();
        try {
            GatewaySettings.from(ai.clawbot.host.config.MergePatch.apply(before.config(), patch));
        } catch (IllegalArgumentException e) {
            ObjectNode d = GatewaySocket.details("CONFIG_INVALID");
            d.putArray("problems").addObject().put("path", "$.agents").put("message", e.getMessage());
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "config not changed: " + e.getMessage(), d));
        }
        Snapshot after;
        try {
            after = store.patch(baseHash.asText(), patch);
        } catch (ConfigConflictException e) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "the config changed since you read it (baseHash "
                    + "is stale); read it again with config.get, re-apply your change and retry",
                    GatewaySocket.details("CONFIG_CONFLICT").put("currentHash", e.currentHash())));
        } catch (ConfigException e) {
            ObjectNode d = GatewaySocket.details("CONFIG_INVALID");
            ArrayNode problems = d.putArray("problems");
            for (ConfigProblem pr : e.problems()) {
                problems.addObject().put("path", pr.path()).put("message", pr.message());
            }
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST", "config not changed: " + e.getMessage(), d));
        } catch (IOException e) {
            throw new GatewayException(ErrorShape.of("UNAVAILABLE", "config not changed: the write failed (" + e.getMessage() + ")",
                    GatewaySocket.details("CONFIG_WRITE_FAILED")).retryable(1000));
        }
        GatewaySettings next = GatewaySettings.from(after.config());
        settings.set(next);
        ObjectNode out = Frames.JSON.createObjectNode().put("ok", true).put("hash", after.hash());
        ArrayNode restart = out.putArray("restartRequired");
        if (!Objects.equals(before.config().path("gateway"), after.config().path("gateway"))) {
            restart.add("gateway");
        }
        out.set("config", store.redacted());
        hub.broadcast(Events.CONFIG_CHANGED, Frames.JSON.createObjectNode().put("hash", after.hash()), Scopes.ADMIN);
        return out;
    }
}

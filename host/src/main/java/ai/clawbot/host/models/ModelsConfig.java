package ai.clawbot.host.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code models} section of openclaw.json, read into values. The schema has checked its shape already; this
 * still fails with a {@link ModelConfigException} naming the path for anything it cannot use, so a router is never
 * built on a half-understood config.
 *
 * @param providers by id, in config order
 * @param routing   the model named for each role (roles not named are absent)
 * @param fallbacks {@code models.fallbacks}, in order
 */
public record ModelsConfig(Map<String, ProviderSettings> providers, Map<ModelRole, ModelRef> routing,
                           List<ModelRef> fallbacks) {

    public ModelsConfig {
        providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        routing = routing.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(routing));
        fallbacks = List.copyOf(fallbacks);
    }

    public static ModelsConfig empty() {
        return new ModelsConfig(Map.of(), Map.of(), List.of());
    }

    /** Reads the section; null or missing means "no models configured". */
    public static ModelsConfig parse(JsonNode models) {
        if (models == null || models.isMissingNode() || models.isNull()) {
            return empty();
        }
        requireObject(models, "models");
        Map<String, ProviderSettings> providers = new LinkedHashMap<>();
        JsonNode providersNode = models.path("providers");
        if (!providersNode.isMissingNode() && !providersNode.isNull()) {
            requireObject(providersNode, "models.providers");
            for (Map.Entry<String, JsonNode> e : providersNode.properties()) {
                providers.put(e.getKey(), provider(e.getKey(), e.getValue()));
            }
        }
        Map<ModelRole, ModelRef> routing = new EnumMap<>(ModelRole.class);
        JsonNode routingNode = models.path("routing");
        if (!routingNode.isMissingNode() && !routingNode.isNull()) {
            requireObject(routingNode, "models.routing");
            for (Map.Entry<String, JsonNode> e : routingNode.properties()) {
                String path = "models.routing." + e.getKey();
                ModelRole role = ModelRole.fromConfigKey(e.getKey()).orElseThrow(() -> new ModelConfigException(
                        path, "unknown role (expected planner, coder, fast or vision)"));
                routing.put(role, ModelRef.parse(text(e.getValue(), path), path));
            }
        }
        List<ModelRef> fallbacks = new ArrayList<>();
        JsonNode fallbacksNode = models.path("fallbacks");
        if (!fallbacksNode.isMissingNode() && !fallbacksNode.isNull()) {
            if (!fallbacksNode.isArray()) {
                throw new ModelConfigException("models.fallbacks", "must be an array of 'provider/model'");
            }
            for (int i = 0; i < fallbacksNode.size(); i++) {
                String path = "models.fallbacks[" + i + "]";
                fallbacks.add(ModelRef.parse(text(fallbacksNode.get(i), path), path));
            }
        }
        return new ModelsConfig(providers, routing, fallbacks);
    }

    private static ProviderSettings provider(String id, JsonNode node) {
        String path = "models.providers." + id;
        if (!ModelRef.PROVIDER_ID.matcher(id).matches()) {
            throw new ModelConfigException(path, "bad provider id (letters, digits, '.', '_', '-'; at most 64)");
        }
        requireObject(node, path);
        String baseUrl = optionalText(node, "baseUrl", path);
        if (baseUrl != null) {
            try {
                HttpClients.requireHttpUrl(id, baseUrl);
            } catch (IllegalArgumentException e) {
                throw new ModelConfigException(path + ".baseUrl", "'" + baseUrl + "' is not an http(s) URL");
            }
        }
        String api = optionalText(node, "api", path);
        if (api == null) {
            // The well-known ids speak their own API; any other provider is assumed OpenAI-compatible.
            api = id.equals("openai") || id.equals("anthropic") ? id : "openai-compatible";
        }
        if (api.equals("openai-compatible") && baseUrl == null) {
            throw new ModelConfigException(path + ".baseUrl", "required for api openai-compatible (e.g."
                    + " http://127.0.0.1:11434/v1)");
        }
        String apiKey = optionalText(node, "apiKey", path);
        List<String> models = new ArrayList<>();
        JsonNode list = node.path("models");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new ModelConfigException(path + ".models", "must be an array");
            }
            for (int i = 0; i < list.size(); i++) {
                String itemPath = path + ".models[" + i + "]";
                JsonNode item = list.get(i);
                String modelId = item.isObject() ? text(item.path("id"), itemPath + ".id") : text(item, itemPath);
                if (modelId.isBlank() || !modelId.strip().equals(modelId) || modelId.chars().anyMatch(Character::isWhitespace)) {
                    throw new ModelConfigException(itemPath, "bad model id '" + modelId + "'");
                }
                models.add(modelId);
            }
        }
        return new ProviderSettings(id, api, baseUrl, apiKey, models, node);
    }

    private static void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new ModelConfigException(path, "must be an object");
        }
    }

    private static String optionalText(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        return node.isMissingNode() || node.isNull() ? null : text(node, path + "." + field);
    }

    private static String text(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new ModelConfigException(path, "must be a string");
        }
        return node.textValue();
    }
}

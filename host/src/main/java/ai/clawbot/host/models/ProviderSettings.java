package ai.clawbot.host.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code models.providers}: what a {@link ModelProviderFactory} needs to build a client.
 *
 * @param id      the provider id (the key in {@code models.providers}, the part before '/' in a model ref)
 * @param api     which factory serves it ({@code openai}, {@code anthropic}, {@code openai-compatible}, or one a
 *                plugin registered)
 * @param baseUrl the endpoint, or null for the factory's default
 * @param apiKey  the key, or null when none is configured; never printed by {@link #toString()}
 * @param models  the model ids the provider lists, in config order (the first one is the last-resort default)
 * @param raw     the provider's config object as written, for plugin factories that read more fields
 */
public record ProviderSettings(String id, String api, String baseUrl, String apiKey, List<String> models,
                               JsonNode raw) {

    public ProviderSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(api, "api");
        models = List.copyOf(models);
        raw = raw == null ? MissingNode.getInstance() : raw;
    }

    public static ProviderSettings of(String id, String api, String baseUrl, String apiKey, List<String> models) {
        return new ProviderSettings(id, api, baseUrl, apiKey, models, null);
    }

    public Optional<String> baseUrlIfSet() {
        return baseUrl == null || baseUrl.isBlank() ? Optional.empty() : Optional.of(baseUrl);
    }

    public Optional<String> apiKeyIfSet() {
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey);
    }

    /** OpenClaw's {@code contextWindow} of the model's entry (tokens), when the entry is an object that sets it. */
    public java.util.OptionalInt contextWindow(String model) {
        return positive(model, "contextWindow");
    }

    /** OpenClaw's {@code maxTokens} of the model's entry: the cap on one reply's tokens. */
    public java.util.OptionalInt maxTokens(String model) {
        return positive(model, "maxTokens");
    }

    private java.util.OptionalInt positive(String model, String field) {
        for (JsonNode entry : raw.path("models")) {
            if (entry.isObject() && entry.path("id").asText("").equals(model)) {
                JsonNode v = entry.path(field);
                return v.canConvertToInt() && v.intValue() > 0 ? java.util.OptionalInt.of(v.intValue()) : java.util.OptionalInt.empty();
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** Redacts the key: settings end up in logs and error messages. */
    @Override
    public String toString() {
        return "ProviderSettings[id=" + id + ", api=" + api + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKeyIfSet().isPresent() ? "***" : "none") + ", models=" + models + "]";
    }
}

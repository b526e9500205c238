package ai.clawbot.host.models;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code provider/model} reference such as {@code openai/gpt-4o} or {@code ollama/llama3.1:8b}. The provider id
 * follows the config schema ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}); the model is everything after the FIRST
 * slash, so ids with slashes ({@code openrouter/meta-llama/llama-3-70b}) keep them.
 */
public record ModelRef(String provider, String model) {

    static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern MODEL_ID = Pattern.compile("\\S+");

    public ModelRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        if (!PROVIDER_ID.matcher(provider).matches()) {
            throw new ModelConfigException("model ref", "bad provider id '" + provider
                    + "' (letters, digits, '.', '_', '-'; at most 64)");
        }
        if (!MODEL_ID.matcher(model).matches()) {
            throw new ModelConfigException("model ref", "bad model id '" + model + "' (must be non-empty, no spaces)");
        }
    }

    /** Parses {@code provider/model}; {@code where} names the config path for the error message. */
    public static ModelRef parse(String text, String where) {
        if (text == null || text.isBlank()) {
            throw new ModelConfigException(where, "model ref is empty; expected 'provider/model'");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new ModelConfigException(where, "model ref '" + text + "' has no provider; expected 'provider/model'"
                    + " (e.g. 'openai/gpt-4o')");
        }
        String provider = text.substring(0, slash);
        String model = text.substring(slash + 1);
        if (provider.isEmpty() || model.isEmpty()) {
            throw new ModelConfigException(where, "model ref '" + text + "' must have a provider and a model around"
                    + " the '/'");
        }
        try {
            return new ModelRef(provider, model);
        } catch (ModelConfigException e) {
            throw new ModelConfigException(where, "model ref '" + text + "': " + e.getMessage().substring(
                    "model ref: ".length()));
        }
    }

    public static ModelRef parse(String text) {
        return parse(text, "model ref");
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}

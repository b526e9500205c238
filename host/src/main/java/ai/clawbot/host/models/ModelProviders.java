package ai.clawbot.host.models;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The registry of {@link ModelProviderFactory}s by {@code api}. The router looks a factory up when it first calls
 * a provider, so a plugin may register after the router was built. Thread-safe.
 */
public final class ModelProviders {

    private static final Pattern API_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final Map<String, ModelProviderFactory> factories = new ConcurrentHashMap<>();

    private ModelProviders() {
    }

    /** No factories at all (tests, or a gateway that brings its own). */
    public static ModelProviders empty() {
        return new ModelProviders();
    }

    /** {@code openai}, {@code openai-compatible}, {@code anthropic} and {@code google-generative-ai} (Gemini). */
    public static ModelProviders withBuiltIns() {
        ModelProviders providers = new ModelProviders();
        providers.register(OpenAiProviderFactory.openAi());
        providers.register(OpenAiProviderFactory.compatible());
        providers.register(AnthropicProviderFactory.create());
        providers.register(GeminiProviderFactory.create());
        return providers;
    }

    /**
     * Adds a factory. Refuses an api that is already served (a plugin must not silently take over
     * {@code openai}'s traffic, API keys included) and a malformed api id.
     *
     * @throws IllegalArgumentException on a bad api id
     * @throws IllegalStateException    when the api is taken
     */
    public void register(ModelProviderFactory factory) {
        Objects.requireNonNull(factory, "factory");
        String api = factory.api();
        if (api == null || !API_ID.matcher(api).matches()) {
            throw new IllegalArgumentException("bad model provider api id '" + api
                    + "' (lower-case letters, digits, '.', '_', '-')");
        }
        ModelProviderFactory previous = factories.putIfAbsent(api, factory);
        if (previous != null) {
            throw new IllegalStateException("model provider api '" + api + "' is already registered by "
                    + previous.getClass().getName());
        }
    }

    /** Removes this exact factory (a plugin being unloaded); false when it was not the registered one. */
    public boolean unregister(ModelProviderFactory factory) {
        return factory != null && factory.api() != null && factories.remove(factory.api(), factory);
    }

    public Optional<ModelProviderFactory> find(String api) {
        return api == null ? Optional.empty() : Optional.ofNullable(factories.get(api));
    }

    /** The registered api ids, sorted. */
    public Set<String> apis() {
        return new TreeSet<>(factories.keySet());
    }
}

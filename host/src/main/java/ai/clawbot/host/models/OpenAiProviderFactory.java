package ai.clawbot.host.models;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * {@code openai} (api.openai.com, an API key is required) and {@code openai-compatible} (any server speaking
 * {@code /chat/completions}: Ollama, vLLM, llama.cpp; baseUrl required, key optional). Both use langchain4j's
 * OpenAI client; baseUrl is the prefix before {@code /chat/completions}, conventionally ending in {@code /v1}.
 */
public final class OpenAiProviderFactory implements ModelProviderFactory {

    public static final String OPENAI_URL = "https://api.openai.com/v1";
    /** Sent when a compatible server needs no key: the client always sends an Authorization header. */
    static final String NO_KEY = "not-needed";

    private final String api;
    private final boolean compatible;

    private OpenAiProviderFactory(String api, boolean compatible) {
        this.api = api;
        this.compatible = compatible;
    }

    public static OpenAiProviderFactory openAi() {
        return new OpenAiProviderFactory("openai", false);
    }

    public static OpenAiProviderFactory compatible() {
        return new OpenAiProviderFactory("openai-compatible", true);
    }

    @Override
    public String api() {
        return api;
    }

    @Override
    public StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout) {
        String baseUrl;
        String apiKey;
        if (compatible) {
            baseUrl = provider.baseUrlIfSet().orElseThrow(() -> new IllegalArgumentException(
                    "provider '" + provider.id() + "' (api openai-compatible) needs a baseUrl, e.g."
                            + " http://127.0.0.1:11434/v1"));
            apiKey = provider.apiKeyIfSet().orElse(NO_KEY);
        } else {
            baseUrl = provider.baseUrlIfSet().orElse(OPENAI_URL);
            apiKey = provider.apiKeyIfSet().orElseThrow(() -> new IllegalArgumentException(
                    "provider '" + provider.id() + "' (api openai) has no apiKey"));
        }
        HttpClients.requireHttpUrl(provider.id(), baseUrl);
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(HttpClients.forUrl(baseUrl, timeout))
                .baseUrl(baseUrl)
                .apiKey(apiKey)
                .modelName(modelName)
                .timeout(timeout);
        // The model entry's maxTokens caps every reply: max_tokens (what compatible servers read), or OpenAI's
        // max_completion_tokens.
        provider.maxTokens(modelName).ifPresent(cap -> {
            if (compatible) {
                builder.maxTokens(cap);
            } else {
                builder.maxCompletionTokens(cap);
            }
        });
        return builder.build();
    }
}

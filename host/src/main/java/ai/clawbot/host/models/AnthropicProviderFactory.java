package ai.clawbot.host.models;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Duration;

/**
 * {@code anthropic}: the Messages API ({@code POST <baseUrl>/v1/messages}, {@code x-api-key}). As with
 * Anthropic's own SDKs, baseUrl is the host part ({@code https://api.anthropic.com}, or a proxy's prefix);
 * {@code /v1} is added unless it is already there. An API key is required.
 */
public final class AnthropicProviderFactory implements ModelProviderFactory {

    public static final String ANTHROPIC_URL = "https://api.anthropic.com";
    /** The Messages API requires max_tokens; langchain4j's 1024 is short for an agent. A request's own wins. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private AnthropicProviderFactory() {
    }

    public static AnthropicProviderFactory create() {
        return new AnthropicProviderFactory();
    }

    @Override
    public String api() {
        return "anthropic";
    }

    @Override
    public StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout) {
        String baseUrl = HttpClients.requireHttpUrl(provider.id(), provider.baseUrlIfSet().orElse(ANTHROPIC_URL));
        String apiKey = provider.apiKeyIfSet().orElseThrow(() -> new IllegalArgumentException(
                "provider '" + provider.id() + "' (api anthropic) has no apiKey"));
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(HttpClients.forUrl(baseUrl, timeout))
                .baseUrl(withV1(baseUrl))
                .apiKey(apiKey)
                .modelName(modelName)
                .maxTokens(provider.maxTokens(modelName).orElse(DEFAULT_MAX_TOKENS))
                .timeout(timeout)
                .build();
    }

    static String withV1(String baseUrl) {
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.endsWith("/v1") ? trimmed + "/" : trimmed + "/v1/";
    }
}

package ai.clawbot.host.models;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import java.time.Duration;

/**
 * {@code google-generative-ai} (OpenClaw's name): the Gemini API ({@code POST <baseUrl>/models/{m}
 * :streamGenerateContent?alt=sse}). The key travels only in the {@code x-goog-api-key} header, never as a
 * {@code ?key=} query parameter. baseUrl includes the version ({@code https://generativelanguage.googleapis.com/v1beta}
 * by default, or a proxy's prefix). A safety block is turned into a {@link GeminiBlockedException}, not an empty
 * answer.
 */
public final class GeminiProviderFactory implements ModelProviderFactory {

    public static final String API = "google-generative-ai";
    public static final String GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta";

    private GeminiProviderFactory() {
    }

    public static GeminiProviderFactory create() {
        return new GeminiProviderFactory();
    }

    @Override
    public String api() {
        return API;
    }

    @Override
    public StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout) {
        String baseUrl = HttpClients.requireHttpUrl(provider.id(), provider.baseUrlIfSet().orElse(GEMINI_URL));
        String apiKey = provider.apiKeyIfSet().orElseThrow(() -> new IllegalArgumentException(
                "provider '" + provider.id() + "' (api " + API + ") has no apiKey"));
        StreamingChatModel gemini = GoogleAiGeminiStreamingChatModel.builder()
                .httpClientBuilder(HttpClients.forUrl(baseUrl, timeout))
                .baseUrl(trimSlash(baseUrl))
                .apiKey(apiKey)
                .modelName(modelName)
                .maxOutputTokens(provider.maxTokens(modelName).stream().boxed().findFirst().orElse(null))
                .timeout(timeout)
                .logRequests(false)
                .logResponses(false)
                .build();
        return SafetyBlockedAsError.wrap(gemini, provider.id() + "/" + modelName);
    }

    static String trimSlash(String baseUrl) {
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}

package ai.clawbot.host.models;

import dev.langchain4j.model.chat.StreamingChatModel;
import java.time.Duration;

/**
 * Builds streaming chat clients for one wire API. This is the extension point: a plugin that brings a provider
 * (e.g. Gemini) registers a factory for its {@link #api()} in {@link ModelProviders}, and any
 * {@code models.providers.<id>} entry with that {@code api} is then served by it.
 *
 * <p>{@link #create} is called once per provider/model pair and the client is reused for every call, from
 * several threads at once. It should not do I/O; it throws (any RuntimeException, with a message an operator can
 * act on) when the settings cannot work, e.g. a missing API key. Timeouts are the router's business too: it
 * abandons a stream that is silent for {@code timeout}, but a client that also honours it frees its connection
 * sooner. The client's {@code chat} should return at once and stream from another thread (as langchain4j's
 * HTTP clients do); one that streams on the calling thread works, but cannot be aborted or timed out meanwhile.
 */
public interface ModelProviderFactory {

    /** The {@code api} value this factory serves: lower-case letters, digits, '.', '_' or '-'. */
    String api();

    StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout);
}

package ai.clawbot.host.models;

import ai.clawbot.host.secrets.SecretResolver;
import ai.clawbot.host.secrets.SecretsException;

import ai.clawbot.host.models.ModelException.Attempt;
import ai.clawbot.host.models.ModelException.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Picks models for a call and calls them with fallback. Built once per config; shared by all runs (thread-safe).
 *
 * <p>Failure policy, per candidate, in order:
 * <ul>
 *   <li>retryable (HTTP 5xx, 429, 408, timeout or silence longer than the timeout, connection refused, unknown
 *       host, other I/O errors): the provider cools down (1 min, doubling per consecutive failure, at most 1 h)
 *       and the next candidate is tried;</li>
 *   <li>rejected (HTTP 400, 401, 403, 404, provider settings that cannot work): the next candidate is tried but
 *       the provider does not cool down, since the cause is this request, this model id or a key the operator
 *       must fix, and another model of the same provider may still work;</li>
 *   <li>candidates whose provider is cooling down are skipped, unless every callable candidate is: then the one
 *       whose provider failed least recently is tried anyway, so a call is never refused without trying;</li>
 *   <li>once text has been streamed to the caller there is no fallback (it would repeat or contradict what the
 *       user saw): the call fails, still cooling the provider down if the cause was retryable;</li>
 *   <li>a success clears its provider's cooldown.</li>
 * </ul>
 */
public final class ModelRouter {

    /**
     * @param requestTimeout  longest silence from a model (before its first token, or between two events)
     * @param cooldownInitial cooldown after a provider's first consecutive retryable failure
     * @param cooldownMax     cap on the doubling cooldown
     */
    public record Options(Duration requestTimeout, Duration cooldownInitial, Duration cooldownMax) {
        public static final Options DEFAULTS =
                new Options(Duration.ofSeconds(120), Duration.ofMinutes(1), Duration.ofHours(1));

        public Options {
            for (Duration d : List.of(requestTimeout, cooldownInitial, cooldownMax)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("router durations must be positive: " + d);
                }
            }
            if (cooldownMax.compareTo(cooldownInitial) < 0) {
                throw new IllegalArgumentException("cooldownMax < cooldownInitial");
            }
        }
    }

    private final ModelsConfig config;
    private final ModelProviders factories;
    private final Options options;
    private final Cooldowns cooldowns;
    private final ModelCallObserver observer;
    private final Map<ModelRef, Built> clients = new ConcurrentHashMap<>();
    private final SecretResolver secrets;

    /** A client and the key it was built with: a rotated {@code op://} value builds a new one. */
    private record Built(String key, StreamingChatModel client) {
    }

    private ModelRouter(ModelsConfig config, ModelProviders factories, Clock clock, Options options, SecretResolver secrets,
                        ModelCallObserver observer) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.config = Objects.requireNonNull(config, "config");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.factories = Objects.requireNonNull(factories, "factories");
        this.options = Objects.requireNonNull(options, "options");
        this.cooldowns = new Cooldowns(Objects.requireNonNull(clock, "clock"), options.cooldownInitial(),
                options.cooldownMax());
    }

    /** A router built from the config's {@code models} section; every knob but {@link Builder#config} has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ModelRouter}. Not thread-safe; build once per config. */
    public static final class Builder {

        private JsonNode models;
        private ModelProviders providers;
        private Clock clock = Clock.systemUTC();
        private Options options = Options.DEFAULTS;
        private SecretResolver secrets = SecretResolver.literalOnly();
        private ModelCallObserver observer = ModelCallObserver.NONE;

        private Builder() {
        }

        /** The config's {@code models} section; null or missing means no provider (the gateway's offline model). */
        public Builder config(JsonNode models) {
            this.models = models;
            return this;
        }

        /** The adapters, by api name; default {@link ModelProviders#withBuiltIns()}. */
        public Builder providers(ModelProviders providers) {
            this.providers = Objects.requireNonNull(providers, "providers");
            return this;
        }

        /** The clock cooldowns are measured with; default the system's, in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Request timeout and cooldowns; default {@link Options#DEFAULTS}. */
        public Builder options(Options options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Resolves {@code apiKey}s that are {@code op://} references, at each call; default: plain keys only (a
         * reference is refused at the call).
         */
        public Builder secrets(SecretResolver secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /** Told about every call to a model (for metrics); default nobody. */
        public Builder observer(ModelCallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** @throws ModelConfigException naming the path of anything unusable in the {@code models} section */
        public ModelRouter build() {
            return new ModelRouter(ModelsConfig.parse(models), providers == null ? ModelProviders.withBuiltIns() : providers,
                    clock, options, secrets, observer);
        }
    }

    /** False when no provider is configured: the gateway then uses its offline model. */
    public boolean configured() {
        return !config.providers().isEmpty();
    }

    public ModelsConfig config() {
        return config;
    }

    /** Providers cooling down now, with when each may be called again. */
    public Map<String, Instant> coolingDown() {
        return cooldowns.active();
    }

    /**
     * The models to try, in order, without duplicates: the agent's model, else {@code routing[role]}, else
     * {@code routing.planner}, else the first model of the first provider that lists one; then the agent's
     * fallbacks; then {@code models.fallbacks}. Empty when nothing is configured. A bare model id (no
     * {@code provider/}) in the agent's settings is resolved to the first provider listing it.
     *
     * @param role null means {@link ModelRole#PLANNER}
     * @throws ModelConfigException for an agent model that cannot be resolved
     */
    public List<ModelRef> candidates(String agentModelOrNull, List<String> agentFallbacks, ModelRole role) {
        Set<ModelRef> out = new LinkedHashSet<>();
        ModelRef primary;
        if (agentModelOrNull != null && !agentModelOrNull.isBlank()) {
            primary = resolve(agentModelOrNull.strip(), "agent model");
        } else {
            primary = config.routing().get(role == null ? ModelRole.PLANNER : role);
            if (primary == null) {
                primary = config.routing().get(ModelRole.PLANNER);
            }
            if (primary == null) {
                primary = firstListedModel().orElse(null);
            }
        }
        if (primary != null) {
            out.add(primary);
        }
        List<String> fallbacks = agentFallbacks == null ? List.of() : agentFallbacks;
        for (int i = 0; i < fallbacks.size(); i++) {
            out.add(resolve(fallbacks.get(i) == null ? "" : fallbacks.get(i).strip(), "agent model fallbacks[" + i + "]"));
        }
        out.addAll(config.fallbacks());
        return List.copyOf(out);
    }

    /**
     * Streams a reply from the first candidate that gives one (see the class comment for the failure policy)
     * and blocks until it is complete. Partial text goes to {@code onPartialText} on the calling thread, in
     * order. When {@code aborted} turns true (or the thread is interrupted; its flag is kept) the stream is
     * cancelled and what was received so far is returned as the reply's text. The request's model name, if
     * any, is replaced by each candidate's.
     *
     * @throws ModelException when no candidate answered, listing each with its reason
     */
    public ChatResponse chat(List<ModelRef> candidates, ChatRequest request, Consumer<String> onPartialText,
                             BooleanSupplier aborted) throws ModelException {
        Objects.requireNonNull(request, "request");
        Consumer<String> sink = onPartialText == null ? text -> { } : onPartialText;
        BooleanSupplier stop = aborted == null ? () -> false : aborted;
        if (candidates == null || candidates.isEmpty()) {
            throw ModelException.noCandidates();
        }
        ModelRef forced = forcedCandidate(candidates);
        List<Attempt> attempts = new ArrayList<>();
        for (ModelRef ref : candidates) {
            if (stop.getAsBoolean()) {
                return ChatResponse.builder().aiMessage(AiMessage.from("")).build();
            }
            ProviderSettings provider = config.providers().get(ref.provider());
            if (provider == null) {
                attempts.add(new Attempt(ref, Kind.SKIPPED, "unknown provider '" + ref.provider() + "'"));
                continue;
            }
            Optional<ModelProviderFactory> factory = factories.find(provider.api());
            if (factory.isEmpty()) {
                attempts.add(new Attempt(ref, Kind.SKIPPED, "no adapter for api '" + provider.api() + "'"));
                continue;
            }
            Optional<Duration> cooling = cooldowns.remaining(ref.provider());
            if (cooling.isPresent() && !ref.equals(forced)) {
                attempts.add(new Attempt(ref, Kind.SKIPPED, "cooling down (" + seconds(cooling.get()) + " left)"));
                continue;
            }
            forced = ref.equals(forced) ? null : forced; // the forced try happens once
            StreamingChatModel client;
            ProviderSettings resolved;
            try {
                resolved = withKey(provider);
            } catch (SecretsException e) {
                // The reference, not its value, is named; nothing was cached, so the next call asks Connect again.
                attempts.add(new Attempt(ref, Kind.REJECTED, "cannot resolve the api key: " + e.getMessage()));
                continue;
            }
            ProviderSettings usable = resolved;
            try {
                client = clients.compute(ref, (r, built) -> built != null && Objects.equals(built.key(), usable.apiKey())
                        ? built : new Built(usable.apiKey(), factory.get().create(usable, r.model(), options.requestTimeout())))
                        .client();
            } catch (RuntimeException e) {
                attempts.add(new Attempt(ref, Kind.REJECTED, redact(redact("cannot use provider: " + e.getMessage(), provider), usable)));
                continue;
            }
            ChatRequest forModel = request.toBuilder().modelName(ref.model()).build();
            StreamAttempt.Outcome outcome = StreamAttempt.run(client, forModel, sink, stop, options.requestTimeout());
            switch (outcome) {
                case StreamAttempt.Outcome.Completed done -> {
                    cooldowns.recordSuccess(ref.provider());
                    observe(ref, provider, ModelCallObserver.Outcome.OK, done.response());
                    return done.response();
                }
                case StreamAttempt.Outcome.Aborted partial -> {
                    observe(ref, provider, ModelCallObserver.Outcome.ABORTED, partial.partial());
                    return partial.partial();
                }
                case StreamAttempt.Outcome.Failed failed -> {
                    observe(ref, provider, ModelCallObserver.Outcome.FAILED, null);
                    Failures.Classified why = Failures.classify(failed.cause());
                    if (why.retryable()) {
                        cooldowns.recordFailure(ref.provider());
                    }
                    attempts.add(new Attempt(ref, why.retryable() ? Kind.RETRYABLE : Kind.REJECTED,
                            redact(why.reason(), usable)));
                    if (!failed.emittedText().isEmpty()) {
                        throw ModelException.midStream(attempts, failed.emittedText());
                    }
                }
            }
        }
        throw ModelException.allFailed(attempts);
    }

    private void observe(ModelRef ref, ProviderSettings provider, ModelCallObserver.Outcome outcome, ChatResponse response) {
        TokenUsage usage = response == null ? null : response.tokenUsage();
        try {
            observer.observe(new ModelCallObserver.ModelCall(ref.provider(), provider.api(), ref.model(), outcome,
                    tokens(usage == null ? null : usage.inputTokenCount()),
                    tokens(usage == null ? null : usage.outputTokenCount())));
        } catch (RuntimeException e) {
            // metrics never fail a model call
        }
    }

    private static long tokens(Integer count) {
        return count == null ? -1 : count;
    }

    /** The configured context window of {@code ref} (OpenClaw's model entry {@code contextWindow}), if any. */
    public java.util.OptionalInt contextWindow(ModelRef ref) {
        ProviderSettings provider = config.providers().get(ref.provider());
        return provider == null ? java.util.OptionalInt.empty() : provider.contextWindow(ref.model());
    }

    /** When every callable candidate is cooling down: the one whose provider failed least recently; else null. */
    private ModelRef forcedCandidate(List<ModelRef> candidates) {
        ModelRef best = null;
        for (ModelRef ref : candidates) {
            ProviderSettings provider = config.providers().get(ref.provider());
            if (provider == null || factories.find(provider.api()).isEmpty()) {
                continue;
            }
            if (cooldowns.remaining(ref.provider()).isEmpty()) {
                return null;
            }
            if (best == null || cooldowns.lastFailure(ref.provider()).isBefore(cooldowns.lastFailure(best.provider()))) {
                best = ref;
            }
        }
        return best;
    }

    private ModelRef resolve(String text, String where) {
        int slash = text.indexOf('/');
        if (slash > 0 && config.providers().containsKey(text.substring(0, slash))) {
            return ModelRef.parse(text, where);
        }
        // A bare id, or one whose prefix is not a provider (meta-llama/llama-3): a provider that lists it.
        for (ProviderSettings provider : config.providers().values()) {
            if (provider.models().contains(text)) {
                return new ModelRef(provider.id(), text);
            }
        }
        if (slash < 0) {
            throw new ModelConfigException(where, "model '" + text + "' is not listed by any provider; write"
                    + " 'provider/model' (providers: " + String.join(", ", config.providers().keySet()) + ")");
        }
        return ModelRef.parse(text, where); // unknown provider: reported as skipped when called
    }

    private Optional<ModelRef> firstListedModel() {
        return config.providers().values().stream().filter(p -> !p.models().isEmpty()).findFirst()
                .map(p -> new ModelRef(p.id(), p.models().get(0)));
    }

    /** The provider with its {@code apiKey} as the value to send (an {@code op://} reference resolved now). */
    private ProviderSettings withKey(ProviderSettings provider) throws SecretsException {
        if (!SecretResolver.isReference(provider.apiKey())) {
            return provider;
        }
        String key = secrets.resolve(provider.apiKey(), "models.providers." + provider.id() + ".apiKey");
        return new ProviderSettings(provider.id(), provider.api(), provider.baseUrl(), key, provider.models(), provider.raw());
    }

    /** Some servers echo the key in their error body; it must not reach logs or clients. */
    private static String redact(String text, ProviderSettings provider) {
        String key = provider.apiKey();
        return key == null || key.length() < 4 || text == null ? text : text.replace(key, "***");
    }

    private static String seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000) + "s";
    }
}

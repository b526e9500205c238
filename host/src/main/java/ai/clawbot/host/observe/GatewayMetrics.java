package ai.clawbot.host.observe;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The gateway's Prometheus metrics, in a registry of its own (never the global default one), so tests
 * and several gateways in one JVM do not collide. Every label is bounded: method names the caller
 * does not know, and anything past {@link #MAX_METHOD_LABELS}, count as {@code method="unknown"};
 * auth failure reasons likewise fall back to {@code reason="other"}. Recording never throws.
 */
public final class GatewayMetrics {

    public static final String UNKNOWN_METHOD = "unknown";
    public static final String OTHER_REASON = "other";
    /** A safety net behind the caller's {@code known} flag (plugins add methods, but not thousands). */
    public static final int MAX_METHOD_LABELS = 256;
    public static final int MAX_REASON_LABELS = 32;
    /** Providers and models come from the operator's config; the caps only guard against a runaway config. */
    public static final int MAX_PROVIDER_LABELS = 32;
    public static final int MAX_MODEL_LABELS = 64;
    private static final Pattern METHOD_SHAPE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern REASON_SHAPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final double[] SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    /** How a chat run ended; a closed set, so the label is bounded by construction. */
    public enum ChatOutcome {
        OK, ERROR, ABORTED, TIMEOUT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final BoundedLabels methods = new BoundedLabels(MAX_METHOD_LABELS, METHOD_SHAPE, UNKNOWN_METHOD);
    private final BoundedLabels reasons = new BoundedLabels(MAX_REASON_LABELS, REASON_SHAPE, OTHER_REASON);
    private final BoundedLabels providers = new BoundedLabels(MAX_PROVIDER_LABELS, REASON_SHAPE, OTHER_REASON);
    private final BoundedLabels models = new BoundedLabels(MAX_MODEL_LABELS, METHOD_SHAPE, OTHER_REASON);
    private final AtomicLong connections = new AtomicLong();
    private final Counter rpcRequests;
    private final Histogram rpcDuration;
    private final Counter authFailures;
    private final Counter chatRuns;
    private final Gauge sandboxContainers;
    private final Counter modelCalls;
    private final Counter modelTokens;

    private GatewayMetrics(String version, DoubleSupplier uptimeSeconds) {
        rpcRequests = Counter.builder().name("clawbot_rpc_requests_total").help("Protocol requests handled, by method and outcome.")
                .labelNames("method", "outcome").withoutExemplars().register(registry);
        rpcDuration = Histogram.builder().name("clawbot_rpc_duration_seconds").help("Time to answer a protocol request.")
                .labelNames("method").classicOnly().classicUpperBounds(SECONDS).withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("clawbot_ws_connections").help("Open WebSocket connections.")
                .callback(cb -> cb.call(connections.get())).register(registry);
        authFailures = Counter.builder().name("clawbot_auth_failures_total").help("Rejected authentication attempts, by reason.")
                .labelNames("reason").withoutExemplars().register(registry);
        chatRuns = Counter.builder().name("clawbot_chat_runs_total").help("Finished chat runs, by outcome.")
                .labelNames("outcome").withoutExemplars().register(registry);
        for (ChatOutcome o : ChatOutcome.values()) {
            chatRuns.initLabelValues(o.label()); // present at 0 from the start, so rate() works at once
        }
        modelCalls = Counter.builder().name("clawbot_model_calls_total")
                .help("Calls to model providers, by provider and outcome (ok, failed, aborted); a fallback counts each try.")
                .labelNames("provider", "outcome").withoutExemplars().register(registry);
        modelTokens = Counter.builder().name("clawbot_model_tokens_total")
                .help("Tokens the model providers reported, by provider, model and direction (input, output).")
                .labelNames("provider", "model", "direction").withoutExemplars().register(registry);
        sandboxContainers = Gauge.builder().name("clawbot_sandbox_containers").help("Sandbox containers currently running.")
                .withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("clawbot_uptime_seconds").help("Seconds since the gateway started.")
                .callback(cb -> {
                    try {
                        cb.call(uptimeSeconds.getAsDouble());
                    } catch (RuntimeException e) {
                        // no sample this scrape rather than a failed scrape
                    }
                }).register(registry);
        Gauge.builder().name("clawbot_build_info").help("Gateway build; the value is always 1.").labelNames("version")
                .withoutExemplars().register(registry)
                .labelValues(version == null || version.isBlank() ? "unknown" : version.strip()).set(1);
    }

    /** Uptime counted from this call. */
    public static GatewayMetrics create(String version) {
        long start = System.nanoTime();
        return create(version, () -> (System.nanoTime() - start) / 1e9);
    }

    public static GatewayMetrics create(String version, DoubleSupplier uptimeSeconds) {
        return new GatewayMetrics(version, Objects.requireNonNull(uptimeSeconds, "uptimeSeconds"));
    }

    /**
     * One protocol request. {@code known} is the caller's verdict that {@code method} is registered;
     * when false the method is recorded as "unknown" whatever it is. Negative durations count as 0.
     */
    public void rpc(String method, boolean known, boolean ok, long nanos) {
        String m = known ? methods.label(method) : UNKNOWN_METHOD;
        rpcRequests.labelValues(m, ok ? "ok" : "error").inc();
        rpcDuration.labelValues(m).observe(Math.max(0, nanos) / 1e9);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    /** Never goes below zero: an unmatched close is a caller bug, not a negative connection count. */
    public void connectionClosed() {
        connections.getAndUpdate(n -> Math.max(0, n - 1));
    }

    public long openConnections() {
        return connections.get();
    }

    /** A rejected authentication; a reason not shaped like {@code AUTH_TOKEN_MISMATCH} counts as "other". */
    public void authFailure(String reason) {
        authFailures.labelValues(reasons.label(reason)).inc();
    }

    public void chatRun(ChatOutcome outcome) {
        chatRuns.labelValues(Objects.requireNonNull(outcome, "outcome").label()).inc();
    }

    /**
     * One call to a model; token counts below zero mean the provider reported none (nothing is added). Provider
     * and model names not shaped like ids, or past the label caps, count as "other".
     */
    public void modelCall(String provider, String model, String outcome, long inputTokens, long outputTokens) {
        String p = providers.label(provider);
        String o = outcome == null ? OTHER_REASON : switch (outcome) {
            case "ok", "failed", "aborted" -> outcome;
            default -> OTHER_REASON;
        };
        modelCalls.labelValues(p, o).inc();
        String m = models.label(model);
        if (inputTokens > 0) {
            modelTokens.labelValues(p, m, "input").inc(inputTokens);
        }
        if (outputTokens > 0) {
            modelTokens.labelValues(p, m, "output").inc(outputTokens);
        }
    }

    /** @throws IllegalArgumentException when negative (the gauge keeps its value) */
    public void sandboxContainers(int running) {
        if (running < 0) {
            throw new IllegalArgumentException("running containers must be >= 0, got " + running);
        }
        sandboxContainers.set(running);
    }

    /** All metrics in the Prometheus text format 0.0.4. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The Content-Type header for {@link #scrape()}. */
    public String contentType() {
        return writer.getContentType();
    }

    /** The registry itself, to add more collectors (JVM metrics, say). */
    public PrometheusRegistry registry() {
        return registry;
    }
}

package ai.clawbot.host.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") \\S.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{" + LABEL + "(?:," + LABEL + ")*\\})? (-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)");

    /**
     * Checks every line of the exposition and returns its samples ("name{labels}" to value). Each sample
     * must belong to the family its preceding # TYPE declared, with HELP before TYPE.
     */
    static Map<String, Double> parse(String text) {
        assertThat(text).endsWith("\n");
        Map<String, Double> samples = new LinkedHashMap<>();
        String family = null;
        String type = null;
        String helped = null;
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                helped = m.group(1);
            } else if ((m = TYPE.matcher(line)).matches()) {
                assertThat(m.group(1)).as("TYPE after its HELP").isEqualTo(helped);
                family = m.group(1);
                type = m.group(2);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                assertThat(family).as("sample before any TYPE: " + line).isNotNull();
                if (type.equals("histogram")) {
                    assertThat(name).isIn(family + "_bucket", family + "_count", family + "_sum");
                } else {
                    assertThat(name).isEqualTo(family);
                }
                String key = name + (m.group(2) == null ? "" : m.group(2));
                assertThat(samples.put(key, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))))
                        .as("duplicate series " + key).isNull();
            } else {
                throw new AssertionError("malformed exposition line: [" + line + "]");
            }
        }
        return samples;
    }

    @Test
    void scrapeHasEveryFamilyWithTheValuesRecorded() {
        GatewayMetrics m = GatewayMetrics.create("1.2.3", () -> 42.5);
        m.rpc("chat.send", true, true, 20_000_000);
        m.rpc("chat.send", true, false, 3_000_000_000L);
        m.rpc("health", true, true, 1_000);
        m.connectionOpened();
        m.connectionOpened();
        m.connectionOpened();
        m.connectionClosed();
        m.authFailure("AUTH_TOKEN_MISMATCH");
        m.authFailure("AUTH_TOKEN_MISMATCH");
        m.authFailure("AUTH_TOKEN_MISSING");
        m.chatRun(GatewayMetrics.ChatOutcome.OK);
        m.chatRun(GatewayMetrics.ChatOutcome.ABORTED);
        m.chatRun(GatewayMetrics.ChatOutcome.OK);
        m.sandboxContainers(4);

        Map<String, Double> s = parse(m.scrape());
        assertThat(s).containsEntry("clawbot_rpc_requests_total{method=\"chat.send\",outcome=\"ok\"}", 1.0)
                .containsEntry("clawbot_rpc_requests_total{method=\"chat.send\",outcome=\"error\"}", 1.0)
                .containsEntry("clawbot_rpc_requests_total{method=\"health\",outcome=\"ok\"}", 1.0)
                .containsEntry("clawbot_rpc_duration_seconds_count{method=\"chat.send\"}", 2.0)
                .containsEntry("clawbot_rpc_duration_seconds_bucket{method=\"chat.send\",le=\"0.025\"}", 1.0)
                .containsEntry("clawbot_rpc_duration_seconds_bucket{method=\"chat.send\",le=\"5.0\"}", 2.0)
                .containsEntry("clawbot_rpc_duration_seconds_bucket{method=\"health\",le=\"0.001\"}", 1.0)
                .containsEntry("clawbot_ws_connections", 2.0)
                .containsEntry("clawbot_auth_failures_total{reason=\"AUTH_TOKEN_MISMATCH\"}", 2.0)
                .containsEntry("clawbot_auth_failures_total{reason=\"AUTH_TOKEN_MISSING\"}", 1.0)
                .containsEntry("clawbot_chat_runs_total{outcome=\"ok\"}", 2.0)
                .containsEntry("clawbot_chat_runs_total{outcome=\"aborted\"}", 1.0)
                .containsEntry("clawbot_chat_runs_total{outcome=\"error\"}", 0.0)
                .containsEntry("clawbot_sandbox_containers", 4.0)
                .containsEntry("clawbot_uptime_seconds", 42.5)
                .containsEntry("clawbot_build_info{version=\"1.2.3\"}", 1.0);
        assertThat(s.get("clawbot_rpc_duration_seconds_sum{method=\"chat.send\"}")).isCloseTo(3.02, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.contentType()).isEqualTo(PrometheusTextFormatWriter.CONTENT_TYPE).contains("version=0.0.4");
    }

    @Test
    void tenThousandRandomMethodNamesKeepOneUnknownSeries() {
        GatewayMetrics m = GatewayMetrics.create("dev");
        m.rpc("health", true, true, 1_000);
        Random rnd = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            m.rpc("m" + Long.toHexString(rnd.nextLong()), false, false, 1_000);
        }
        Map<String, Double> s = parse(m.scrape());
        assertThat(s.keySet().stream().filter(k -> k.startsWith("clawbot_rpc_requests_total"))).containsExactlyInAnyOrder(
                "clawbot_rpc_requests_total{method=\"health\",outcome=\"ok\"}",
                "clawbot_rpc_requests_total{method=\"unknown\",outcome=\"error\"}");
        assertThat(s).containsEntry("clawbot_rpc_requests_total{method=\"unknown\",outcome=\"error\"}", 10_000.0);
        assertThat(s.keySet().stream().filter(k -> k.startsWith("clawbot_rpc_duration_seconds_count"))).hasSize(2);
    }

    @Test
    void evenMethodsClaimedKnownAreCappedAndOddlyShapedOnesCannotInjectLines() {
        GatewayMetrics m = GatewayMetrics.create("dev");
        for (int i = 0; i < 10_000; i++) {
            m.rpc("plugin.method" + i, true, true, 1_000);
        }
        m.rpc("x\"} 1\nfake_metric{a=\"b", true, true, 1_000);
        m.rpc(null, true, true, 1_000);
        m.rpc("", true, true, 1_000);
        String text = m.scrape();
        Map<String, Double> s = parse(text);
        assertThat(text).doesNotContain("fake_metric");
        assertThat(s.keySet().stream().filter(k -> k.startsWith("clawbot_rpc_requests_total")))
                .hasSize(GatewayMetrics.MAX_METHOD_LABELS + 1);
        assertThat(s).containsEntry("clawbot_rpc_requests_total{method=\"unknown\",outcome=\"ok\"}",
                10_000.0 - GatewayMetrics.MAX_METHOD_LABELS + 3);
        // A name already counted keeps its own series after the cap is reached.
        m.rpc("plugin.method0", true, true, 1_000);
        assertThat(parse(m.scrape())).containsEntry("clawbot_rpc_requests_total{method=\"plugin.method0\",outcome=\"ok\"}", 2.0);
    }

    @Test
    void authFailureReasonsAreBoundedToo() {
        GatewayMetrics m = GatewayMetrics.create("dev");
        for (int i = 0; i < 1_000; i++) {
            m.authFailure("REASON_" + i);
        }
        m.authFailure("bad reason with spaces");
        m.authFailure(null);
        Map<String, Double> s = parse(m.scrape());
        assertThat(s.keySet().stream().filter(k -> k.startsWith("clawbot_auth_failures_total")))
                .hasSize(GatewayMetrics.MAX_REASON_LABELS + 1);
        assertThat(s).containsEntry("clawbot_auth_failures_total{reason=\"other\"}", 1_000.0 - GatewayMetrics.MAX_REASON_LABELS + 2);
    }

    @Test
    void instancesAreIndependentAndTheGlobalRegistryIsUntouched() throws Exception {
        GatewayMetrics a = GatewayMetrics.create("a");
        GatewayMetrics b = GatewayMetrics.create("b");
        a.rpc("health", true, true, 1);
        assertThat(parse(a.scrape())).containsKey("clawbot_rpc_requests_total{method=\"health\",outcome=\"ok\"}");
        assertThat(parse(b.scrape())).doesNotContainKey("clawbot_rpc_requests_total{method=\"health\",outcome=\"ok\"}")
                .containsKey("clawbot_build_info{version=\"b\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, PrometheusRegistry.defaultRegistry.scrape());
        assertThat(out.toString()).doesNotContain("clawbot_");
    }

    @Test
    void badInputNeitherBreaksNorCorruptsTheGauges() {
        GatewayMetrics m = GatewayMetrics.create(null, () -> {
            throw new IllegalStateException("clock gone");
        });
        m.connectionClosed();
        assertThat(m.openConnections()).isZero();
        m.sandboxContainers(3);
        assertThatThrownBy(() -> m.sandboxContainers(-1)).isInstanceOf(IllegalArgumentException.class);
        m.rpc("health", true, true, -5);
        Map<String, Double> s = parse(m.scrape());
        assertThat(s).containsEntry("clawbot_sandbox_containers", 3.0)
                .containsEntry("clawbot_ws_connections", 0.0)
                .containsEntry("clawbot_build_info{version=\"unknown\"}", 1.0)
                .containsEntry("clawbot_rpc_duration_seconds_sum{method=\"health\"}", 0.0)
                .doesNotContainKey("clawbot_uptime_seconds");
    }

    @Test
    void defaultUptimeCountsUpFromCreation() {
        double up = parse(GatewayMetrics.create("dev").scrape()).get("clawbot_uptime_seconds");
        assertThat(up).isBetween(0.0, 60.0);
    }

    @Test
    void theParserRejectsMalformedLines() {
        assertThatThrownBy(() -> parse("# HELP x y\n# TYPE x gauge\nx{a=\"b} 1\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> parse("# HELP x y\n# TYPE x gauge\ny 1\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> parse("x 1\n")).isInstanceOf(AssertionError.class);
    }
}

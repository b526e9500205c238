package ai.clawbot.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ENV and NETWORK verdicts over probe reports (the reports themselves come from real sandboxes in the host's tests). */
class ProbeVerdictsTest {

    private static JsonNode report(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void aCleanEnvironmentHasNoFindings() throws Exception {
        JsonNode r = report("{\"env\":{\"PATH\":\"/usr/bin\",\"HOME\":\"/\"},\"processes\":[{\"pid\":1,\"cmdline\":\"java\",\"env\":{\"PATH\":\"/usr/bin\"}}]}");

        assertThat(ProbeVerdicts.env(r, Map.of("gateway token", "tok-123"), Map.of("api_key", "canary-9"))).isEmpty();
    }

    @Test
    void eachBadVariableIsNamedWithWhyAndNeverItsValue() throws Exception {
        JsonNode r = report("{\"env\":{\"OPENCLAW_GATEWAY_TOKEN\":\"tok-123\",\"X\":\"Bearer tok-123\"},"
                + "\"processes\":[{\"pid\":7,\"cmdline\":\"helper --x\",\"env\":{\"KEY\":\"canary-9\"}},{\"pid\":8,\"unreadable\":\"denied\"}]}");

        var findings = ProbeVerdicts.env(r, Map.of("gateway token", "tok-123"), Map.of("api_key", "canary-9"));

        assertThat(findings).extracting(Finding::subject).containsExactly(
                "the sandbox's own environment (what the runner and the image set)",
                "the sandbox's own environment (what the runner and the image set)",
                "process 7 (helper --x)");
        assertThat(findings.get(0).message()).contains("environment variable OPENCLAW_GATEWAY_TOKEN (value withheld): "
                + "its name starts with OPENCLAW_, it holds the gateway token");
        assertThat(findings.get(1).message()).contains("environment variable X (value withheld): it holds the gateway token");
        assertThat(findings.get(2).message()).contains("environment variable KEY (value withheld): it holds the value of secret 'api_key'");
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.passed()).isFalse();
            assertThat(f.message()).startsWith("ENV rule failed").contains(". Fix: ").doesNotContain("tok-123", "canary-9");
        });
    }

    @Test
    void anyConnectThatSucceededFailsTheNetworkRuleAndLookupsCountOnlyWithoutNetwork() throws Exception {
        JsonNode r = report("{\"connects\":[{\"target\":\"1.1.1.1:443\",\"connected\":false},{\"target\":\"172.17.0.1:9\",\"connected\":true}],"
                + "\"resolves\":[{\"name\":\"example.org\",\"addresses\":[\"93.184.215.14\"]}]}");

        assertThat(ProbeVerdicts.network(r, "none")).extracting(Finding::subject)
                .containsExactly("a connect to 172.17.0.1:9", "a name lookup of example.org");
        assertThat(ProbeVerdicts.network(r, "allow [api.example.com:443]")).extracting(Finding::subject)
                .containsExactly("a connect to 172.17.0.1:9");
    }
}

package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.manifests.ManifestCheck.Violation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The validator promises "each tool's input being a usable JSON Schema". A broken pattern is caught;
 * the three regression tests show input schemas it
 * accepts although {@link ToolArguments}, which the host's SkillRouter runs on every tool call, then
 * cannot use them: the call throws instead of returning violations, or every call is refused.
 */
class ManifestValidatorToolInputSchemaTest {

    private final ManifestValidator validator = ManifestValidator.create();

    private static String withQuerySchema(String querySchema) {
        String from = "query: { type: string }";
        assertThat(ManifestValidatorInvalidTest.BASE).contains(from);
        return ManifestValidatorInvalidTest.BASE.replace(from, "query: " + querySchema);
    }

    private ManifestCheck check(String yaml) {
        return validator.validate(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void inputWithAnUncompilableRegexIsNotAUsableSchema() {
        ManifestCheck c = check(withQuerySchema("{ type: string, pattern: '([' }"));

        assertThat(c).isInstanceOf(Invalid.class);
        assertThat(((Invalid) c).violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("$.tools[0].input");
            assertThat(v.reason()).startsWith("not a usable JSON Schema: ");
        });
    }

    /**
     * Regression (was a bug, now fixed): ManifestValidator.validate(JsonNode), lines 82-86, only calls registry.getSchema(input), which
     * resolves {@code $ref} lazily. A dangling ref passes; ToolArguments.check then throws
     * com.networknt.schema.InvalidSchemaRefException ("Reference /nope cannot be resolved") on every call.
     */
    @Test
    void inputWithADanglingRefIsNotAUsableSchema() throws Exception {
        ManifestCheck c = check(withQuerySchema("{ $ref: '#/$defs/nope' }"));

        if (c instanceof Valid ok) { // evidence of the consequence, before the failing assertion below
            assertThatCode(() -> ToolArguments.create().check(ok.manifest().tool("lookup").orElseThrow(),
                    new ObjectMapper().readTree("{\"query\":\"x\"}")))
                    .hasMessageContaining("cannot be resolved");
        }
        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .extracting(Violation::path).containsExactly("$.tools[0].input"));
    }

    /**
     * Guard: whatever the validator decides about a remote {@code $ref}, neither it nor ToolArguments
     * (run by the host, outside any sandbox) may fetch it. Checked against a local HTTP server.
     */
    @Test
    void remoteRefIsNeverFetchedByTheValidatorOrByArgumentChecks() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"type\":\"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/query.json";
            ManifestCheck c = check(withQuerySchema("{ $ref: '" + url + "' }"));
            if (c instanceof Valid ok) { // what the host's SkillRouter does on a call
                try {
                    ToolArguments.create().check(ok.manifest().tool("lookup").orElseThrow(),
                            new ObjectMapper().readTree("{\"query\":\"x\"}"));
                } catch (RuntimeException expected) {
                    // unusable schema: see the regression test below; the request count is what this test is about
                }
            }

            assertThat(requests.get()).as("HTTP requests made for " + url).isZero();
        } finally {
            server.stop(0);
        }
    }

    /**
     * Regression (was a bug, now fixed): same cause as the dangling ref. A remote {@code $ref} is accepted, but the registry has no
     * remote loader (good: nothing is fetched), so ToolArguments.check throws
     * com.networknt.schema.SchemaException (java.io.FileNotFoundException: http://...) on every call.
     */
    @Test
    void inputWithARemoteRefIsNotAUsableSchema() throws Exception {
        ManifestCheck c = check(withQuerySchema("{ $ref: 'http://127.0.0.1:9/query.json' }"));

        if (c instanceof Valid ok) { // evidence of the consequence, before the failing assertion below
            assertThatCode(() -> ToolArguments.create().check(ok.manifest().tool("lookup").orElseThrow(),
                    new ObjectMapper().readTree("{\"query\":\"x\"}")))
                    .hasMessageContaining("http://127.0.0.1:9/query.json");
        }
        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .extracting(Violation::path).containsExactly("$.tools[0].input"));
    }

    /**
     * Regression (was a bug, now fixed): {@code type: 5} is not a JSON Schema (type must be a string or an array of strings); the
     * validator accepts it and every call then fails with "$.query: string found, unknown expected".
     */
    @Test
    void inputThatViolatesTheJsonSchemaMetaSchemaIsNotAUsableSchema() {
        ManifestCheck c = check(withQuerySchema("{ type: 5 }"));

        assertThat(c).isInstanceOfSatisfying(Invalid.class, i -> assertThat(i.violations())
                .extracting(Violation::path).allMatch(p -> p.startsWith("$.tools[0].input")));
    }
}

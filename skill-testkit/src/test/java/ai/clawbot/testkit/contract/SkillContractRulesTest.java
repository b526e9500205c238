package ai.clawbot.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules the contract decides from answers alone (manifest, examples), over a runner that calls the handlers
 * in-process the way the tool server maps them (a ToolException is an error result with a code, anything else
 * is INTERNAL). It has no sandbox to probe, which must fail ENV and NETWORK rather than pass them unseen. The
 * sandboxed rules run against the real gateway in the host's tests.
 */
class SkillContractRulesTest {

    @TempDir
    Path workspace;

    private static final String MANIFEST = """
            id: rules
            version: 1.0.0
            description: Contract rules (tests only).
            tools:
              - name: fine
                description: Answers.
                effect: read
                examples: [{}]
                input: {type: object}
              - name: crashes
                description: Throws a NullPointerException.
                effect: read
                examples: [{}]
                input: {type: object}
              - name: refuses
                description: Refuses with a code.
                effect: read
                examples: [{}]
                input: {type: object}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: none}
            network: none
            """;

    /** Calls handlers in this JVM, answering as the tool server would; cannot probe. */
    private final class InProcessRunner implements SandboxRunner {
        private final String manifest;
        private final Map<String, ToolHandler> tools;

        InProcessRunner(String manifest, Skill skill) {
            this.manifest = manifest;
            this.tools = skill.tools();
        }

        @Override
        public byte[] manifest() {
            return manifest.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Path workspace() {
            return workspace;
        }

        @Override
        public CallOutcome call(String tool, JsonNode args) {
            try {
                ToolResult r = tools.get(tool).call(args, new ToolContext(workspace, Map.of()));
                return new CallOutcome.Answered(r.text(), r.structured(), false, "in-process");
            } catch (ToolException e) {
                JsonNode error = JsonNodeFactory.instance.objectNode().set("error", JsonNodeFactory.instance.objectNode()
                        .put("code", e.code()).put("message", e.getMessage()));
                return new CallOutcome.Answered(e.code() + ": " + e.getMessage(), error, true, "in-process");
            } catch (RuntimeException e) {
                return new CallOutcome.Answered("INTERNAL: " + e.getClass().getSimpleName() + ": " + e.getMessage(), null, true, "in-process");
            }
        }

        @Override
        public JsonNode probe(List<String> args) throws IOException {
            throw new IOException("an in-process runner has no sandbox");
        }

        @Override
        public boolean running(String sandboxId) {
            return false;
        }

        @Override
        public Map<String, String> forbiddenValues() {
            return Map.of();
        }

        @Override
        public Map<String, String> secretValues() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }

    private static final Skill SKILL = () -> Map.of(
            "fine", (a, c) -> ToolResult.text("ok"),
            "crashes", (a, c) -> {
                throw new NullPointerException("oops");
            },
            "refuses", (a, c) -> {
                throw new ToolException("NOT_FOUND", "nothing there");
            });

    @Test
    void aCrashFailsTheExamplesRuleWhileARefusalWithACodeIsAnAnswer() throws Exception {
        List<Finding> f = SkillContract.check(new InProcessRunner(MANIFEST, SKILL));

        assertThat(f).filteredOn(x -> x.rule() == ContractRule.EXAMPLES && !x.passed()).singleElement().satisfies(x -> {
            assertThat(x.subject()).isEqualTo("rules.crashes example #0 {}");
            assertThat(x.message()).contains("the tool crashed: INTERNAL: NullPointerException: oops")
                    .contains("Fix: handle the failure and throw ToolException(CODE, message)");
        });
        assertThat(f).filteredOn(x -> x.rule() == ContractRule.EXAMPLES && x.passed()).extracting(Finding::subject)
                .containsExactly("rules.fine example #0 {}", "rules.refuses example #0 {}");
        assertThat(f).filteredOn(x -> x.rule() == ContractRule.TIMEOUT).singleElement().matches(Finding::passed);
    }

    @Test
    void withoutASandboxToProbeEnvAndNetworkFailInsteadOfPassingUnseen() throws Exception {
        List<Finding> f = SkillContract.check(new InProcessRunner(MANIFEST, SKILL));

        assertThat(f).filteredOn(x -> x.rule() == ContractRule.ENV || x.rule() == ContractRule.NETWORK)
                .hasSize(2).allSatisfy(x -> {
                    assertThat(x.passed()).isFalse();
                    assertThat(x.message()).contains("the sandbox could not be probed: an in-process runner has no sandbox");
                });
    }

    @Test
    void aToolWithoutExamplesFailsTheManifestRuleAndNothingRuns() throws Exception {
        String noExamples = MANIFEST.replaceFirst("    examples: \\[\\{}]\n", "");

        List<Finding> f = SkillContract.check(new InProcessRunner(noExamples, SKILL));

        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.rule()).isEqualTo(ContractRule.MANIFEST);
            assertThat(x.subject()).isEqualTo("rules.fine");
            assertThat(x.message()).contains("the tool declares no examples").contains("Fix: add `examples: [{...}]`");
        });
    }

    @Test
    void anInvalidManifestFailsWithItsJsonPaths() throws Exception {
        List<Finding> f = SkillContract.check(new InProcessRunner(MANIFEST.replace("effect: read", "effect: reads"), SKILL));

        assertThat(f).singleElement().satisfies(x -> assertThat(x.message()).startsWith("MANIFEST rule failed")
                .contains("$.tools[0].effect"));
        try (var entries = Files.list(workspace)) {
            assertThat(entries).as("nothing ran, nothing was planted").isEmpty();
        }
    }
}

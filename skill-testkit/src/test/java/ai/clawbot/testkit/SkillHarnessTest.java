package ai.clawbot.testkit;

import static ai.clawbot.testkit.SkillHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillHarnessTest {

    private static final String MANIFEST = """
            id: echo
            version: 1.0.0
            description: Echoes (tests only).
            tools:
              - name: read
                description: Read a workspace file.
                effect: read
                examples: [{path: a.txt}]
                input: {type: object, additionalProperties: false, required: [path], properties: {path: {type: string, minLength: 1}}}
              - name: whoami
                description: Report the setting and the secret.
                effect: secret
                examples: [{}]
                input: {type: object}
            sandbox: {image: clawbot/skill-jre:17}
            permissions: {workspace: ro, secrets: [token]}
            network: none
            """;

    /** Reads files of the workspace (refusing '..'), and reports its setting and secret. */
    static final class EchoSkill implements Skill {
        @Override
        public Map<String, ToolHandler> tools() {
            return Map.of("read", (a, ctx) -> {
                String p = a.path("path").asText();
                if (p.contains("..")) {
                    throw new ToolException("OUTSIDE", "'..' is not allowed");
                }
                try {
                    return ToolResult.of(Files.readString(ctx.workspace().resolve(p)),
                            JsonNodeFactory.instance.objectNode().put("path", p));
                } catch (java.io.IOException e) {
                    throw new ToolException("NOT_FOUND", "no " + p);
                }
            }, "whoami", (a, ctx) -> {
                try {
                    return ToolResult.text(ctx.setting("name").orElse("-") + "/" + ctx.secret("token").orElse("-"));
                } catch (java.io.IOException e) {
                    throw new ToolException("IO", e.toString());
                }
            });
        }
    }

    private SkillHarness harness() {
        return SkillHarness.of(new EchoSkill()).manifest(MANIFEST.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void callsAHandlerOverTheWorkspaceAndAssertsOnTheResult(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("a.txt"), "alpha");
        try (SkillHarness h = harness().workspace(ws)) {
            h.call("read", "path", "a.txt").ok().textIs("alpha").structuredAt("/path", "a.txt");
            assertThat(h.refuse("read", args("path", "../a.txt")).getMessage()).isEqualTo("'..' is not allowed");
            assertThat(h.call("read", "path", "nope").refused("NOT_FOUND").getMessage()).isEqualTo("no nope");
        }
        assertThat(ws.resolve("a.txt")).as("a workspace passed in is left alone").exists();
    }

    @Test
    void settingsAndSecretsReachTheToolAsTheSandboxGivesThem() {
        try (SkillHarness h = harness().setting("name", "ada").secret("token", "s3cr3t")) {
            h.call("whoami").textIs("ada/s3cr3t");
        }
    }

    @Test
    void argumentsTheGatewayWouldRefuseFailTheTestUnlessCalledUnchecked() {
        try (SkillHarness h = harness()) {
            assertThatThrownBy(() -> h.call("read", "path", 7))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("the gateway would refuse these arguments for read");
            assertThat(h.callUnchecked("read", args("path", "..")).refused("OUTSIDE")).isNotNull();
        }
    }

    @Test
    void wrongExpectationsFailWithWhatHappened() {
        try (SkillHarness h = harness()) {
            h.write("a.txt", "alpha");
            assertThatThrownBy(() -> h.call("read", "path", "a.txt").refusal())
                    .hasMessage("read {\"path\":\"a.txt\"} should be refused but answered: alpha");
            assertThatThrownBy(() -> h.call("read", "path", "b.txt").ok())
                    .hasMessage("read {\"path\":\"b.txt\"} should answer but was refused: NOT_FOUND: no b.txt");
            assertThatThrownBy(() -> h.call("nope")).hasMessageContaining("the skill has no tool 'nope'");
        }
    }

    @Test
    void everyExampleOfTheManifestIsCalled() {
        try (SkillHarness h = harness().secret("token", "t")) {
            h.write("a.txt", "alpha");
            assertThat(h.callExamples()).extracting(HarnessCall::tool, HarnessCall::isOk)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("read", true), org.assertj.core.groups.Tuple.tuple("whoami", true));
        }
    }

    @Test
    void aManifestToolWithoutAHandlerOrAnInvalidManifestIsRefusedAtOnce() {
        String extra = MANIFEST.replace("  - name: whoami", "  - name: missing\n    description: x\n    effect: read\n"
                + "    input: {type: object}\n  - name: whoami");
        assertThatThrownBy(() -> SkillHarness.of(new EchoSkill()).manifest(extra.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("declares tool 'missing' but").hasMessageContaining("has no handler");
        String invalid = MANIFEST.replace("examples: [{path: a.txt}]", "examples: [{path: 3}]");
        assertThatThrownBy(() -> SkillHarness.of(new EchoSkill()).manifest(invalid.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("$.tools[0].examples[0].path");
    }

    @Test
    void closeDeletesTheFoldersTheHarnessMade() {
        Path ws;
        try (SkillHarness h = harness().secret("token", "t")) {
            ws = h.workspace();
            h.write("deep/b.txt", "b");
        }
        assertThat(ws).doesNotExist();
    }
}

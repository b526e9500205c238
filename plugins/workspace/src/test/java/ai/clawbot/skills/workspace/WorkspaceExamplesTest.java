package ai.clawbot.skills.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;
import org.junit.jupiter.api.Test;

/** Every example the shipped manifest declares answers in-process, in manifest order (write before edit). */
class WorkspaceExamplesTest {

    @Test
    void everyManifestExampleAnswers() {
        try (SkillHarness h = SkillHarness.of(new WorkspaceSkill())) {
            h.write("README.md", "# Project\n");

            var calls = h.callExamples();

            assertThat(calls).extracting(HarnessCall::tool).containsExactly("list", "list", "read", "write", "edit", "exec");
            assertThat(calls).allSatisfy(HarnessCall::ok);
            assertThat(h.call("read", "path", "notes/example.txt").text()).isEqualTo("hi\n");
            assertThat(calls.get(5).structured().path("stdout").asText()).isEqualTo("hello\n");
        }
    }
}

package ai.clawbot.skills.obsidian;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;
import org.junit.jupiter.api.Test;

/** Every example the shipped manifest declares answers in-process, over a vault holding the notes they name. */
class ObsidianExamplesTest {

    @Test
    void everyManifestExampleAnswers() {
        try (SkillHarness h = SkillHarness.of(new ObsidianSkill())) {
            h.write("Projects/Plan.md", "# Plan\n\nShip it.\n");

            var calls = h.callExamples();

            assertThat(calls).extracting(HarnessCall::tool).containsExactly("search", "search", "search_content", "read", "create");
            assertThat(calls).allSatisfy(HarnessCall::ok);
            assertThat(calls.get(2).text()).contains("Projects/Plan.md");
            assertThat(h.call("read", "path", "Inbox/Contract example.md").text()).isEqualTo("# Example\n");
        }
    }
}

package ai.clawbot.skills.web;

import ai.clawbot.testkit.SkillHarness;
import java.time.Duration;
import java.util.Map;

/**
 * The test kit's harness over the web skill, with the proxy environment given, never this machine's: a
 * developer's HTTP_PROXY must not change what the tests see.
 */
final class WebTools {

    private WebTools() {
    }

    static SkillHarness harness(Map<String, String> env, Map<String, String> settings, Duration deadline) {
        SkillHarness h = SkillHarness.of(new WebSkill(env, deadline));
        settings.forEach(h::setting);
        return h;
    }

    static SkillHarness harness(Map<String, String> settings) {
        return harness(Map.of(), settings, Duration.ofSeconds(10));
    }

    static SkillHarness harness() {
        return harness(Map.of());
    }
}

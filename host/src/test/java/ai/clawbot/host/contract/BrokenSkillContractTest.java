package ai.clawbot.host.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.BrokenSkillSource;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.testkit.contract.ContractRule;
import ai.clawbot.testkit.contract.Finding;
import ai.clawbot.testkit.contract.SkillContract;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract catches a skill that breaks it: a real signed plugin jar, loaded and run by the real gateway,
 * that puts its secret into a helper process's environment, reads any path, and ignores its timeout. Each
 * failure names its rule, what happened and how to fix it; what the skill does right still passes.
 */
@ExtendWith(DockerRequired.class)
class BrokenSkillContractTest {

    private static List<Finding> findings;

    @BeforeAll
    static void runTheContract() throws Exception {
        try (GatewaySandboxRunner runner = GatewaySandboxRunner.plugin(BrokenSkillSource.jar())) {
            findings = SkillContract.check(runner);
        }
    }

    private static List<Finding> failed(ContractRule rule) {
        return findings.stream().filter(f -> f.rule() == rule && !f.passed()).toList();
    }

    @Test
    void theSecretInAHelperProcessEnvironmentFailsTheEnvRule() {
        assertThat(failed(ContractRule.ENV)).as(findings.toString()).singleElement().satisfies(f -> {
            assertThat(f.subject()).contains("sleep 600");
            assertThat(f.message()).startsWith("ENV rule failed (no process in the sandbox holds")
                    .contains("environment variable OPENCLAW_API_KEY (value withheld): its name starts with OPENCLAW_, "
                            + "it holds the value of secret 'api_key'")
                    .contains("Fix: read secrets from their files (ToolContext.secret, /run/secrets/NAME)")
                    .doesNotContain("contract-canary-");
        });
    }

    @Test
    void readingOutsideTheWorkspaceFailsThePathsRuleForEachEscape() {
        List<Finding> paths = failed(ContractRule.PATHS);
        assertThat(paths).extracting(Finding::subject).contains(
                "leaky.read path='../etc/passwd' ('..' out of the workspace)",
                "leaky.read path='/etc/passwd' (an absolute path)",
                "leaky.read path='claw-contract-etc/passwd' (a symlink out of the workspace)",
                "leaky.read path='claw-contract-secrets/api_key' (a link to /run/secrets)");
        assertThat(paths).filteredOn(f -> f.subject().contains("'../etc/passwd'")).singleElement().satisfies(f -> assertThat(f.message())
                .isEqualTo("PATHS rule failed (tools that take paths refuse '..', absolute paths, symlinks out of the workspace and "
                        + "links to /run/secrets) for leaky.read path='../etc/passwd' ('..' out of the workspace): the answer carries "
                        + "the sandbox's /etc/passwd. Fix: resolve every path against the workspace root, refuse absolute paths and "
                        + "'..', and compare the real path (Path.toRealPath, after links) with the workspace's real path before "
                        + "touching the file"));
        assertThat(paths).filteredOn(f -> f.subject().contains("claw-contract-secrets")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("the answer carries the value of secret 'api_key'"));
    }

    @Test
    void workPastTheTimeoutFailsTheTimeoutRuleAndWasKilled() {
        assertThat(failed(ContractRule.TIMEOUT)).as(findings.toString()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("leaky.hang example #0 {}");
            assertThat(f.message()).contains("it ran past the manifest's timeout (15s) and the sandbox killed it")
                    .contains("Fix: bound the tool's work below permissions.resources.timeout");
        });
    }

    @Test
    void whatTheSkillDoesRightStillPasses() {
        assertThat(failed(ContractRule.MANIFEST)).isEmpty();
        assertThat(failed(ContractRule.EXAMPLES)).isEmpty();
        assertThat(failed(ContractRule.NETWORK)).as(findings.toString()).isEmpty();
        assertThat(findings).anyMatch(f -> f.rule() == ContractRule.NETWORK && f.passed());
    }
}

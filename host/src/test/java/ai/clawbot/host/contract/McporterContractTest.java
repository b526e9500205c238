package ai.clawbot.host.contract;

import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.testkit.contract.SandboxRunner;
import ai.clawbot.testkit.contract.SkillContractTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mcporter skill (its jar as the reactor built it, signed by a fresh key) passes the skill contract in the real
 * gateway's sandbox (skill-node): valid manifest and examples, no network without a grant, a clean environment, the
 * timeout. Its servers are exercised in McporterSkillEndToEndTest.
 */
@ExtendWith(DockerRequired.class)
class McporterContractTest extends SkillContractTest {

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.forJar(ReactorJars.plugin("mcporter"), s -> s, "mcporter.*");
    }
}

package ai.clawbot.host.contract;

import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.testkit.contract.SandboxRunner;
import ai.clawbot.testkit.contract.SkillContractTest;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local whisper skill (its jar as the reactor built it, signed by a fresh key) passes the skill contract in the
 * gateway's real skill-stt sandbox: examples answer, hostile paths are refused, no network, a clean environment.
 */
@ExtendWith(DockerRequired.class)
class WhisperContractTest extends SkillContractTest {

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.forJar(ReactorJars.plugin("whisper"), UnaryOperator.identity());
    }
}

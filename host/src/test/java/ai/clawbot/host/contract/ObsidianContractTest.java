package ai.clawbot.host.contract;

import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.testkit.contract.SandboxRunner;
import ai.clawbot.testkit.contract.SkillContractTest;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bundled obsidian skill passes the skill contract in the real gateway's hardened sandbox. */
@ExtendWith(DockerRequired.class)
class ObsidianContractTest extends SkillContractTest {

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.bundled("obsidian", UnaryOperator.identity());
    }
}

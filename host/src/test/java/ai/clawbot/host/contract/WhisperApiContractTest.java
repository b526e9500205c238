package ai.clawbot.host.contract;

import ai.clawbot.host.sandbox.egress.Resolver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.host.testkit.ReactorJars;
import ai.clawbot.testkit.contract.SandboxRunner;
import ai.clawbot.testkit.contract.SkillContractTest;
import java.net.UnknownHostException;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whisper-api skill passes the skill contract in the gateway's real sandbox, on its egress network: a canary
 * OPENAI_API_KEY appears in no env, label, log or result; the examples name missing files, so they end in the tool's
 * own refusal before any upload. Its tools are {@code external}: pre-approved, this test is not about approvals.
 */
@ExtendWith(DockerRequired.class)
class WhisperApiContractTest extends SkillContractTest {

    private static final Resolver NO_NAMES = host -> {
        throw new UnknownHostException(host + " (no names resolve in the contract run)");
    };

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.forJar(ReactorJars.plugin("whisper-api"), s -> s.withEgressResolver(NO_NAMES), "whisper-api.*");
    }
}

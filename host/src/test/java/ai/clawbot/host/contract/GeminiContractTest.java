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
 * The gemini skill (its jar as the reactor built it, signed by a fresh key) passes the skill contract in the real
 * gateway's sandbox, on its egress network. The contract stores a canary GEMINI_API_KEY and checks it appears in no
 * env, label, log or result; the proxy resolves no name here, so generate's examples end in the tool's own
 * refusal, offline. generate is {@code external}: pre-approved, this test is not about approvals.
 */
@ExtendWith(DockerRequired.class)
class GeminiContractTest extends SkillContractTest {

    private static final Resolver NO_NAMES = host -> {
        throw new UnknownHostException(host + " (no names resolve in the contract run)");
    };

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.forJar(ReactorJars.plugin("gemini"), s -> s.withEgressResolver(NO_NAMES), "gemini.*");
    }
}

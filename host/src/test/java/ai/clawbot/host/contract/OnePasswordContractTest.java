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
 * The onepassword skill (its jar as the reactor built it, signed by a fresh key) passes the skill contract in the
 * real gateway's sandbox: a canary OP_CONNECT_TOKEN appears in no env, label, log or result; with no Connect URL
 * granted the examples end in the tool's own refusal; inject's template and output refuse hostile paths. read and
 * inject are {@code secret}: pre-approved, this test is not about approvals.
 */
@ExtendWith(DockerRequired.class)
class OnePasswordContractTest extends SkillContractTest {

    private static final Resolver NO_NAMES = host -> {
        throw new UnknownHostException(host + " (no names resolve in the contract run)");
    };

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.forJar(ReactorJars.plugin("onepassword"), s -> s.withEgressResolver(NO_NAMES), "onepassword.*");
    }
}

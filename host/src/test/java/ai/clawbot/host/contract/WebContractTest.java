package ai.clawbot.host.contract;

import ai.clawbot.host.sandbox.egress.Resolver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.testkit.contract.SandboxRunner;
import ai.clawbot.testkit.contract.SkillContractTest;
import java.net.UnknownHostException;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bundled web skill passes the skill contract in the real gateway's sandbox, on its egress network. The
 * proxy resolves no name here, so its examples (example.org, the unset search endpoint) are answered with the
 * tool's own refusals, offline and at once.
 */
@ExtendWith(DockerRequired.class)
class WebContractTest extends SkillContractTest {

    private static final Resolver NO_NAMES = host -> {
        throw new UnknownHostException(host + " (no names resolve in the contract run)");
    };

    @Override
    protected SandboxRunner runner() throws Exception {
        return GatewaySandboxRunner.bundled("web", s -> s.withEgressResolver(NO_NAMES));
    }
}

package ai.clawbot.host.contract;

import ai.clawbot.host.sandbox.egress.Resolver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.GatewaySandboxRunner;
import ai.clawbot.testkit.contract.SandboxRunner;
import ai.clawbot.testkit.contract.SkillContractTest;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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
        return GatewaySandboxRunner.forJar(jar(), s -> s.withEgressResolver(NO_NAMES), "gemini.*");
    }

    /** plugins/gemini/target/gemini-VERSION.jar (host's test dependency, so the reactor has built it). */
    static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "plugins", "gemini", "target"))) {
            return files.filter(f -> f.getFileName().toString().matches("gemini-[0-9][^/]*(?<!sources|javadoc)\\.jar"))
                    .findFirst().orElseThrow(() -> new IOException("build plugins/gemini first (no jar in its target/)"));
        }
    }
}

package ai.clawbot.testkit.contract;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract as JUnit 5 tests: extend it, return a {@link SandboxRunner} for your skill, and every finding
 * becomes one test named after its rule and subject (a failed one fails with what happened and how to fix it).
 *
 * <pre>{@code
 * class MySkillContractTest extends SkillContractTest {
 *     protected SandboxRunner runner() throws Exception {
 *         return MyGatewayRunner.start(Path.of("target/my-skill.jar"));
 *     }
 * }
 * }</pre>
 */
public abstract class SkillContractTest {

    /** A runner for the skill under test, on a real sandbox; closed when the contract has run. */
    protected abstract SandboxRunner runner() throws Exception;

    @TestFactory
    public Stream<DynamicTest> contract() throws Exception {
        List<Finding> findings;
        try (SandboxRunner runner = runner()) {
            findings = SkillContract.check(runner);
        }
        return findings.stream().map(f -> DynamicTest.dynamicTest(f.rule() + ": " + f.subject(), () -> {
            if (!f.passed()) {
                throw new AssertionError(f.message());
            }
        }));
    }
}

package ai.clawbot.host.tools;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.properties.HasParameterTypes.Predicates.rawParameterTypes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.Sandbox;
import ai.clawbot.host.sandbox.SandboxCall;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One gate: no production class outside {@code ai.clawbot.host.tools} calls {@code Sandbox.call} (on the interface
 * or on any implementation's type) or touches the router. ArchUnit rather than a reflective test because the rule
 * is about call sites in bytecode, which reflection cannot see; the router being package-private already makes the
 * second half a compile error, the rule keeps the first half honest for any future door (HTTP, MCP).
 */
class OneGateArchitectureTest {

    static final String GATE = "ai.clawbot.host.tools..";

    /** Any {@code call(SandboxCall)} on a {@link Sandbox} or one of its implementations. */
    static final DescribedPredicate<JavaCall<?>> DISPATCH = target(name("call"))
            .and(target(rawParameterTypes(SandboxCall.class)))
            .and(target(owner(assignableTo(Sandbox.class))))
            .as("Sandbox.call(SandboxCall)");

    static final ArchRule ONLY_THE_GATE_DISPATCHES = noClasses().that().resideOutsideOfPackage(GATE)
            .should().callMethodWhere(DISPATCH)
            .because("every tool call must pass the policy chain, approvals, narrowing and audit of ToolGate");

    static final ArchRule ONLY_THE_GATE_ROUTES = noClasses().that().resideOutsideOfPackage(GATE)
            .should().dependOnClassesThat().haveFullyQualifiedName(SkillRouter.class.getName())
            .because("the router dispatches without judging; only the gate may use it");

    static final ArchRule ROUTER_IS_PRIVATE_TO_THE_GATE = classes().that().haveFullyQualifiedName(SkillRouter.class.getName())
            .should().notBePublic();

    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ai.clawbot.host");
    }

    @Test
    void nothingOutsideTheGateDispatchesToTheSandbox() {
        for (ArchRule rule : new ArchRule[] {ONLY_THE_GATE_DISPATCHES, ONLY_THE_GATE_ROUTES, ROUTER_IS_PRIVATE_TO_THE_GATE}) {
            EvaluationResult result = rule.evaluate(production);
            assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
        }
    }

    @Test
    void theRuleSeesTheGatesOwnDispatchSoItIsNotVacuous() {
        assertThat(production.contain(ToolGate.class)).isTrue();
        assertThat(production.get(SkillRouter.class).getMethodCallsFromSelf()).anyMatch(DISPATCH::test);
    }

    @Test
    void aDoorThatSkipsTheGateIsCaught() throws ClassNotFoundException {
        // RogueDoor is test code (so the production import above leaves it out), in the gateway package.
        JavaClasses rogue = new ClassFileImporter().importClasses(Class.forName("ai.clawbot.host.gateway.RogueDoor"));
        EvaluationResult result = ONLY_THE_GATE_DISPATCHES.evaluate(rogue);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("throughTheInterface") && d.contains("Sandbox.call"))
                .anyMatch(d -> d.contains("throughTheImplementation") && d.contains("DockerSandbox.call"));
    }
}

package ai.clawbot.host.wiring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The composition root ({@code wiring}) depends on the transport ({@code gateway}), never the other way: the gateway
 * asks for its services through {@code gateway.Services.Factory}, which {@code wiring} implements.
 */
class CompositionRootArchitectureTest {

    static final ArchRule GATEWAY_DOES_NOT_KNOW_THE_ROOT = noClasses().that().resideInAPackage("ai.clawbot.host.gateway..")
            .should().dependOnClassesThat().resideInAPackage("ai.clawbot.host.wiring..")
            .because("wiring composes the gateway; an arrow back would make the two one package");

    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ai.clawbot.host");
    }

    @Test
    void gatewayDoesNotDependOnWiring() {
        assertThat(production.stream().anyMatch(c -> c.getPackageName().equals("ai.clawbot.host.gateway"))).isTrue();
        assertThat(production.stream().anyMatch(c -> c.getPackageName().equals("ai.clawbot.host.wiring"))).isTrue();
        GATEWAY_DOES_NOT_KNOW_THE_ROOT.check(production);
    }

    @Test
    void theRuleCatchesADependencyOnWiring() {
        // The rule is not vacuous: the reverse arrow (wiring → gateway) exists and the same shape of rule sees it.
        EvaluationResult reverse = noClasses().that().resideInAPackage("ai.clawbot.host.wiring..")
                .should().dependOnClassesThat().resideInAPackage("ai.clawbot.host.gateway..").evaluate(production);
        assertThat(reverse.hasViolation()).isTrue();
    }
}

package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.manifests.ManifestCheck.Invalid;
import ai.clawbot.manifests.ManifestCheck.Valid;
import ai.clawbot.manifests.ManifestCheck.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each case changes one thing in a valid manifest and expects the violation at its exact JSON path. */
class ManifestValidatorInvalidTest {

    static final String BASE = """
            id: notes
            version: 1.0.0
            description: A small test skill.
            tools:
              - name: lookup
                description: Look a thing up.
                effect: read
                input:
                  type: object
                  required: [query]
                  properties:
                    query: { type: string }
              - name: store
                description: Store a thing.
                effect: write
                input:
                  type: object
            sandbox:
              image: clawbot/skill-jre:17
            permissions:
              workspace: ro
              resources:
                memory: 128m
                timeout: 5s
            network: none
            """;

    private final ManifestValidator validator = ManifestValidator.create();

    private ManifestCheck check(String yaml) {
        return validator.validate(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private List<Violation> violations(String yaml) {
        ManifestCheck c = check(yaml);
        assertThat(c).isInstanceOf(Invalid.class);
        return ((Invalid) c).violations();
    }

    private static String replace(String from, String to) {
        assertThat(BASE).contains(from);
        return BASE.replace(from, to);
    }

    @Test
    void baseManifestUsedByTheseCasesIsValid() {
        assertThat(check(BASE)).as(check(BASE).toString()).isInstanceOf(Valid.class);
    }

    @Test
    void unknownEffectValueIsReportedAtTheToolsEffect() {
        List<Violation> v = violations(replace("effect: read", "effect: delete"));

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$.tools[0].effect");
            assertThat(x.reason()).contains("enumeration").contains("read", "write", "external", "secret");
        });
    }

    @Test
    void workspaceAllIsReportedAtPermissionsWorkspace() {
        List<Violation> v = violations(replace("workspace: ro", "workspace: all"));

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$.permissions.workspace");
            assertThat(x.reason()).contains("enumeration").contains("none", "ro", "rw");
        });
    }

    @Test
    void missingSandboxIsReportedAtTheRoot() {
        List<Violation> v = violations(replace("sandbox:\n  image: clawbot/skill-jre:17\n", ""));

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$");
            assertThat(x.reason()).contains("required").contains("'sandbox'");
        });
    }

    @Test
    void unknownTopLevelPropertyIsReportedAtTheRootWithItsName() {
        List<Violation> v = violations(BASE + "autostart: true\n");

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$");
            assertThat(x.reason()).contains("'autostart'").contains("not defined");
        });
    }

    @Test
    void toolNameWithUppercaseIsReportedAtThatToolsName() {
        List<Violation> v = violations(replace("name: store", "name: Store"));

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$.tools[1].name");
            assertThat(x.reason()).contains("regex pattern");
        });
    }

    @Test
    void networkAllowEntryWithoutPortIsReportedAtThatEntry() {
        List<Violation> v = violations(replace("network: none", "network:\n  allow: [api.example.com]"));

        assertThat(v).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("$.network.allow[0]");
            assertThat(x.reason()).contains("regex pattern");
        });
    }

    @Test
    void networkAllowEntryWithPortIsValid() {
        ManifestCheck c = check(replace("network: none", "network:\n  allow: [api.example.com:443]"));

        assertThat(c).isInstanceOf(Valid.class);
        assertThat(((Valid) c).manifest().network().allow()).containsExactly("api.example.com:443");
    }

    @Test
    void networkEverythingIsReportedAtNetwork() {
        List<Violation> v = violations(replace("network: none", "network: everything"));

        assertThat(v).extracting(Violation::path).containsOnly("$.network");
        assertThat(v).anySatisfy(x -> assertThat(x.reason()).contains("'none'"));
    }

    @Test
    void duplicateToolNameIsReportedAtTheSecondTool() {
        List<Violation> v = violations(replace("name: store", "name: lookup"));

        assertThat(v).containsExactly(new Violation("$.tools[1].name", "duplicate tool name 'lookup'"));
    }

    @Test
    void toolInputThatIsNotAnObjectSchemaIsReportedAtItsType() {
        List<Violation> v = violations(replace("effect: write\n    input:\n      type: object",
                "effect: write\n    input:\n      type: string"));

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$.tools[1].input.type");
            assertThat(x.reason()).contains("constant").contains("'object'");
        });
    }

    @Test
    void textThatIsNotYamlIsReportedAtTheRoot() {
        List<Violation> v = violations("{{{ : : ]]");

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$");
            assertThat(x.reason()).startsWith("not readable YAML: ");
        });
    }

    @Test
    void emptyDocumentIsReportedAtTheRoot() {
        assertThat(violations("")).containsExactly(new Violation("$", "not readable YAML: manifest is empty"));
    }

    @Test
    void yamlScalarInsteadOfAMappingIsReportedAtTheRoot() {
        assertThat(violations("just a string")).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$");
            assertThat(x.reason()).contains("string found, object expected");
        });
    }

    @Test
    void memoryLotsIsReportedAtResourcesMemory() {
        List<Violation> v = violations(replace("memory: 128m", "memory: lots"));

        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("$.permissions.resources.memory");
            assertThat(x.reason()).contains("regex pattern");
        });
    }

    @Test
    void everyViolationIsReportedNotOnlyTheFirst() {
        ManifestCheck c = check(replace("workspace: ro", "workspace: all").replace("effect: read", "effect: delete"));

        assertThat(c).isInstanceOf(Invalid.class);
        assertThat(((Invalid) c).violations()).extracting(Violation::path)
                .containsExactlyInAnyOrder("$.tools[0].effect", "$.permissions.workspace");
        assertThat(((Invalid) c).describe()).contains("$.tools[0].effect: ").contains("; ").contains("$.permissions.workspace: ");
    }
}

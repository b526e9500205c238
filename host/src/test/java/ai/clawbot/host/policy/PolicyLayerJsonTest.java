package ai.clawbot.host.policy;

import static ai.clawbot.host.policy.PolicyFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyLayerJsonTest {

    @Test
    void readsTheFullShape() {
        PolicyLayer l = PolicyLayer.fromJson("agent:researcher", json("""
                {'skills': {'allow': ['obsidian', 'web'], 'deny': ['himalaya']},
                 'tools': {'allow': ['obsidian.*', 'web.fetch'], 'deny': ['obsidian.create']},
                 'permissions': {'workspace': 'ro', 'network': {'allow': ['b.example:443', 'c.example']},
                                 'secrets': ['TOKEN']}}"""));
        assertThat(l.skills()).isEqualTo(new AllowDeny(Optional.of(Set.of("obsidian", "web")), Set.of("himalaya")));
        assertThat(l.tools().allow()).contains(Set.of("obsidian.*", "web.fetch"));
        assertThat(l.tools().deny()).containsExactly("obsidian.create");
        assertThat(l.ceiling()).isEqualTo(new PermissionCeiling(Optional.of(WorkspaceAccess.RO),
                Optional.of(Set.of("b.example:443", "c.example")), Optional.of(Set.of("TOKEN"))));
        assertThat(l.display()).isEqualTo("agent 'researcher'");
    }

    @Test
    void anAgentsListEntryIsReadAsItIsWithSkillsAsTheAllowList() {
        PolicyLayer l = PolicyLayer.fromJson("agent:main", json("""
                {'id': 'main', 'default': true, 'model': 'anthropic/claude', 'workspace': '~/notes',
                 'skills': ['obsidian'], 'tools': {'deny': ['obsidian.create']}}"""));
        assertThat(l.skills().allow()).contains(Set.of("obsidian"));
        assertThat(l.skills().deny()).isEmpty();
        assertThat(l.tools().allow()).isEmpty();
        assertThat(l.ceiling()).isEqualTo(PermissionCeiling.OPEN);
    }

    @Test
    void absentMeansNoNarrowingAndPresentButEmptyNarrowsToNothing() {
        assertThat(PolicyLayer.fromJson("global", null)).isEqualTo(PolicyLayer.open("global"));
        assertThat(PolicyLayer.fromJson("global", json("null"))).isEqualTo(PolicyLayer.open("global"));
        assertThat(PolicyLayer.fromJson("global", json("{}"))).isEqualTo(PolicyLayer.open("global"));
        PolicyLayer empty = PolicyLayer.fromJson("global", json(
                "{'skills': [], 'tools': {'allow': []}, 'permissions': {'network': 'none', 'secrets': []}}"));
        assertThat(empty.skills().allow()).contains(Set.of());
        assertThat(empty.tools().allow()).contains(Set.of());
        assertThat(empty.ceiling().network()).contains(Set.of());
        assertThat(empty.ceiling().secrets()).contains(Set.of());
        assertThat(empty.ceiling().workspace()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "[]                                                   | expected an object",
        "{'skills': 'obsidian'}                               | skills must be an array of skill ids or {allow, deny}",
        "{'skills': [1]}                                      | skills[0] must be a string",
        "{'skills': ['Obsidian']}                             | skills[0]: 'Obsidian' is not a skill id",
        "{'skills': {'allow': ['obsidian'], 'denied': ['x']}} | unknown key skills.'denied'",
        "{'skills': {'deny': ['obsidian.read']}}              | skills.deny[0]: 'obsidian.read' is not a skill id",
        "{'tools': ['obsidian.read']}                         | tools must be {allow, deny}",
        "{'tools': {'deny ': ['obsidian.read']}}              | unknown key tools.'deny '",
        "{'tools': {'deny': ['obsidian']}}                    | tools.deny[0]: 'obsidian' is not skill.tool",
        "{'tools': {'deny': ['obsidian.read ']}}              | tools.deny[0]: 'obsidian.read ' is not skill.tool",
        "{'tools': {'allow': ['*.read']}}                     | tools.allow[0]: '*.read' is not skill.tool",
        "{'tools': {'allow': ['obsidian.re*']}}               | tools.allow[0]: 'obsidian.re*' is not",
        "{'tools': {'allow': 'obsidian.read'}}                | tools.allow must be an array of strings",
        "{'tools': {'profile': 'coding'}}                     | tools.profile is not supported",
        "{'tools': {'elevated': {'enabled': true}}}           | tools.elevated is not supported",
        "{'permissions': []}                                  | permissions must be {workspace, network, secrets}",
        "{'permissions': {'workspace': 'RW'}}                 | permissions.workspace must be",
        "{'permissions': {'workspace': 2}}                    | permissions.workspace must be",
        "{'permissions': {'network': 'all'}}                  | permissions.network must be",
        "{'permissions': {'network': ['a.example']}}          | permissions.network must be",
        "{'permissions': {'network': {'hosts': ['a']}}}       | permissions.network must be",
        "{'permissions': {'network': {'allow': ['*.example']}}} | '*.example' is not a network host",
        "{'permissions': {'network': {'allow': ['https://a.example']}}} | is not a network host",
        "{'permissions': {'network': {'allow': ['a.example:99999']}}} | is not a network host",
        "{'permissions': {'secrets': ['bad name']}}           | permissions.secrets[0]: 'bad name' is not a secret name",
        "{'permissions': {'secret': ['A']}}                   | unknown key permissions.'secret'",
    })
    void badShapesAreRefusedNamingTheLayerAndThePath(String text, String message) {
        assertThatThrownBy(() -> PolicyLayer.fromJson("agent:x", json(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("policy 'agent:x': ")
                .hasMessageContaining(message.strip());
    }

    @Test
    void theRecordItselfRefusesAPatternItCouldNeverMatch() {
        assertThatThrownBy(() -> new AllowDeny(Optional.empty(), Set.of("OBSIDIAN.read")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AllowDeny.skills(null, java.util.List.of("obsidian.*")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PermissionCeiling(null, Optional.of(Set.of("a b")), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void displayNamesOfLayers() {
        assertThat(PolicyLayer.open("global").display()).isEqualTo("global policy");
        assertThat(PolicyLayer.open(PolicyLayer.sessionName("agent:main:main")).display())
                .isEqualTo("session 'agent:main:main'");
        assertThat(PolicyLayer.open(PolicyLayer.agentName("x\ny")).display()).isEqualTo("agent 'x\\u000ay'");
    }
}

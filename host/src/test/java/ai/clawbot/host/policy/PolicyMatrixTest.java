package ai.clawbot.host.policy;

import static ai.clawbot.host.policy.PolicyFixtures.CATALOG;
import static ai.clawbot.host.policy.PolicyFixtures.HIMALAYA;
import static ai.clawbot.host.policy.PolicyFixtures.OBSIDIAN;
import static ai.clawbot.host.policy.PolicyFixtures.OBSIDIAN_EXTRA;
import static ai.clawbot.host.policy.PolicyFixtures.WEB;
import static ai.clawbot.host.policy.PolicyFixtures.layer;
import static ai.clawbot.host.policy.PolicyFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance matrix of issue 6: every layer can only narrow, deny wins, and no name the model makes
 * up reaches a skill, tool or permission the policy lacks.
 */
class PolicyMatrixTest {

    static final String[] NAMES = {"global", "agent:researcher", "session:agent:researcher:main"};
    static final String[] SHOWN = {"global policy", "agent 'researcher'", "session 'agent:researcher:main'"};

    /** Allows everything explicitly, and more than any narrow layer: it must never widen anything. */
    static final String WIDE = """
            {'skills': {'allow': ['*']}, 'tools': {'allow': ['*', 'obsidian.create', 'himalaya.send']},
             'permissions': {'workspace': 'rw',
               'network': {'allow': ['a.example:443', 'b.example:443', 'c.example:443', 'imap.example.com',
                                     'smtp.example.com']},
               'secrets': ['IMAP_PASSWORD', 'OTHER']}}""";

    enum Dimension {
        SKILL_ALLOW("{'skills': ['obsidian', 'web']}", HIMALAYA, "list", "does not allow skill 'himalaya'"),
        SKILL_DENY("{'skills': {'deny': ['himalaya']}}", HIMALAYA, "list", "denies skill 'himalaya'"),
        TOOL_ALLOW("{'tools': {'allow': ['obsidian.read', 'obsidian.search', 'web.*']}}", OBSIDIAN, "create",
                "does not allow tool obsidian.create"),
        TOOL_DENY("{'tools': {'allow': ['*'], 'deny': ['obsidian.create']}}", OBSIDIAN, "create",
                "denies tool obsidian.create"),
        WORKSPACE("{'permissions': {'workspace': 'ro'}}", OBSIDIAN, "create",
                "tool obsidian.create needs workspace rw; %s allows at most ro"),
        NETWORK("{'permissions': {'network': {'allow': ['b.example:443']}}}", null, null, null),
        SECRETS("{'permissions': {'secrets': ['OTHER']}}", HIMALAYA, "list",
                "tool himalaya.list needs secret 'IMAP_PASSWORD'; %s does not allow it");

        final String narrow;
        final SkillManifest refusedSkill;
        final String refusedTool;
        final String reason;

        Dimension(String narrow, SkillManifest refusedSkill, String refusedTool, String reason) {
            this.narrow = narrow;
            this.refusedSkill = refusedSkill;
            this.refusedTool = refusedTool;
            this.reason = reason;
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (int at = 0; at < 3; at++) {
            for (Dimension d : Dimension.values()) {
                out.add(Arguments.of(at, d));
            }
        }
        return out.stream();
    }

    /** Layer {@code at} narrows, the other two (before and after it) allow more. */
    static PolicyChain chain(int at, Dimension d) {
        List<PolicyLayer> l = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            l.add(layer(NAMES[i], i == at ? d.narrow : WIDE));
        }
        return new PolicyChain(l);
    }

    static PolicyChain wideOnly() {
        return PolicyChain.of(layer(NAMES[0], WIDE), layer(NAMES[1], WIDE), layer(NAMES[2], WIDE));
    }

    @ParameterizedTest(name = "{1} narrowed at {0}")
    @MethodSource("matrix")
    void aLayerNarrowsAndNoOtherLayerWidensIt(int at, Dimension d) {
        PolicyChain chain = chain(at, d);
        if (d == Dimension.NETWORK) {
            // Control: the wide layers alone grant all three hosts.
            assertThat(allowed(wideOnly().decide(request(WEB, "fetch"))).network().allow())
                    .containsExactly("a.example:443", "b.example:443", "c.example:443");
            assertThat(allowed(chain.decide(request(WEB, "fetch"))).network().allow()).containsExactly("b.example:443");
            return;
        }
        // Control: without the narrow layer the call is allowed, so the refusal below is that layer's doing.
        assertThat(wideOnly().decide(request(d.refusedSkill, d.refusedTool))).isInstanceOf(Decision.Allowed.class);

        Decision got = chain.decide(request(d.refusedSkill, d.refusedTool));
        assertThat(got).isInstanceOf(Decision.Denied.class);
        Decision.Denied denied = (Decision.Denied) got;
        assertThat(denied.layer()).isEqualTo(NAMES[at]);
        assertThat(denied.reason()).contains(SHOWN[at]).contains(d.reason.formatted(SHOWN[at]));
        // The model naming it gets the same refusal.
        assertThat(chain.decide(CATALOG, d.refusedSkill.id() + "." + d.refusedTool)).isEqualTo(got);
        // What the narrow layer does not touch stays allowed.
        assertThat(chain.decide(request(OBSIDIAN, "read"))).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void globalAllowsOnlyObsidianThenAgentStarDoesNotBringHimalayaBack() {
        PolicyChain chain = PolicyChain.create(layer("global", "{'skills': ['obsidian']}"),
                layer("agent:researcher", "{'skills': ['*'], 'tools': {'allow': ['*']}}"),
                layer("session:s", "{'skills': {'allow': ['himalaya', 'obsidian']}}"));
        Decision d = chain.decide(request(HIMALAYA, "send"));
        assertThat(d).isEqualTo(new Decision.Denied("global", "global policy does not allow skill 'himalaya'", "skills.allow"));
        assertThat(chain.decide(request(OBSIDIAN, "create"))).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void workspaceCannotBeRaisedByALaterLayer() {
        PolicyChain chain = PolicyChain.create(layer("global", "{'permissions': {'workspace': 'none'}}"),
                layer("agent:default", "{'permissions': {'workspace': 'rw'}}"), null);
        assertThat(chain.decide(request(OBSIDIAN, "read"))).isEqualTo(new Decision.Denied("global",
                "tool obsidian.read needs workspace ro; global policy allows at most none", "permissions.workspace: none"));
    }

    @Test
    void aLayerCannotGrantMoreThanTheManifestDeclares() {
        PolicyChain chain = PolicyChain.of(layer("global", WIDE));
        EffectivePermissions p = allowed(chain.decide(request(HIMALAYA, "send")));
        assertThat(p.workspace()).isEqualTo(WorkspaceAccess.NONE);
        assertThat(p.secrets()).containsExactly("IMAP_PASSWORD"); // not OTHER
        assertThat(p.network().allow()).containsExactly("imap.example.com:993", "smtp.example.com:465");
        assertThat(allowed(chain.decide(request(OBSIDIAN_EXTRA, "read"))).workspace()).isEqualTo(WorkspaceAccess.RO);
    }

    @Nested
    class DenyWins {

        @Test
        void allowAndDenyOfTheSameToolInOneLayer() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'tools': {'allow': ['obsidian.read'], 'deny': ['obsidian.read']}}"));
            assertThat(c.decide(request(OBSIDIAN, "read"))).isEqualTo(
                    new Decision.Denied("agent:a", "agent 'a' denies tool obsidian.read", "tools.deny: obsidian.read"));
        }

        @Test
        void aSkillDenyBeatsAnExplicitToolAllow() {
            PolicyChain c = PolicyChain.of(layer("agent:a",
                    "{'skills': {'allow': ['*'], 'deny': ['obsidian']}, 'tools': {'allow': ['obsidian.read']}}"));
            assertThat(c.decide(request(OBSIDIAN, "read"))).isInstanceOf(Decision.Denied.class);
        }

        @Test
        void aWildcardDenyBeatsAnExactAllow() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'tools': {'allow': ['obsidian.read'], 'deny': ['obsidian.*']}}"));
            assertThat(c.decide(request(OBSIDIAN, "read"))).isInstanceOf(Decision.Denied.class);
            PolicyChain star = PolicyChain.of(layer("agent:a", "{'tools': {'allow': ['obsidian.read'], 'deny': ['*']}}"));
            assertThat(star.visibleTools(CATALOG)).isEmpty();
        }

        @Test
        void aDenyInAnyLayerIsTheReasonGivenEvenWhenAnEarlierLayerAllowsExplicitly() {
            PolicyChain c = PolicyChain.create(layer("global", "{'tools': {'allow': ['obsidian.create']}}"),
                    layer("agent:a", "{'tools': {'allow': ['*']}}"),
                    layer("session:s", "{'tools': {'deny': ['obsidian.create']}}"));
            assertThat(c.decide(request(OBSIDIAN, "create"))).isEqualTo(
                    new Decision.Denied("session:s", "session 's' denies tool obsidian.create", "tools.deny: obsidian.create"));
        }
    }

    @Nested
    class EffectivePermissionIntersection {

        @Test
        void networkAllowlistsIntersectAcrossLayers() {
            PolicyChain c = PolicyChain.create(
                    layer("global", "{'permissions': {'network': {'allow': ['a.example:443', 'b.example:443', 'c.example:443']}}}"),
                    layer("agent:a", "{'permissions': {'network': {'allow': ['b.example:443', 'c.example:443', 'd.example:443']}}}"),
                    layer("session:s", "{'permissions': {'network': {'allow': ['b.example:443', 'a.example:443']}}}"));
            assertThat(allowed(c.decide(request(WEB, "fetch"))).network().allow()).containsExactly("b.example:443");
        }

        @Test
        void aHostWithoutPortCoversEveryPortAndHostsCompareCaseInsensitively() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'permissions': {'network': {'allow': ['IMAP.example.com']}}}"));
            assertThat(allowed(c.decide(request(HIMALAYA, "list"))).network().allow())
                    .containsExactly("imap.example.com:993");
            PolicyChain wrongPort = PolicyChain.of(layer("agent:a", "{'permissions': {'network': {'allow': ['b.example:80']}}}"));
            assertThat(allowed(wrongPort.decide(request(WEB, "fetch"))).network().isNone()).isTrue();
        }

        @Test
        void aSuffixOrPrefixOfAHostIsNotThatHost() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'permissions': {'network': {'allow': ['example:443', 'a.example']}}}"));
            SkillManifest tricky = PolicyFixtures.skill("tricky", WorkspaceAccess.NONE, List.of(),
                    List.of("evil-a.example:443", "a.example.evil.com:443", "xa.example:443", "a.example:8443"),
                    PolicyFixtures.tool("go", Effect.EXTERNAL));
            assertThat(allowed(c.decide(request(tricky, "go"))).network().allow()).containsExactly("a.example:8443");
        }

        @Test
        void networkNoneLeavesNoHostButStillAllowsTheCall() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'permissions': {'network': 'none'}}"));
            assertThat(allowed(c.decide(request(WEB, "fetch"))).network()).isEqualTo(NetworkPolicy.none());
        }

        @Test
        void readToolsGetAReadOnlyMountUnderARoCeilingAndWriteToolsAreRefusedNotDowngraded() {
            PolicyChain c = PolicyChain.of(layer("agent:default", "{'permissions': {'workspace': 'ro'}}"));
            assertThat(allowed(c.decide(request(OBSIDIAN, "read"))).workspace()).isEqualTo(WorkspaceAccess.RO);
            assertThat(c.decide(request(OBSIDIAN, "create"))).isEqualTo(new Decision.Denied("agent:default",
                    "tool obsidian.create needs workspace rw; agent 'default' allows at most ro", "permissions.workspace: ro"));
            // An external tool of a rw skill is not a read either.
            SkillManifest mixed = PolicyFixtures.skill("mixed", WorkspaceAccess.RW, List.of(), List.of(),
                    PolicyFixtures.tool("post", Effect.EXTERNAL));
            assertThat(c.decide(request(mixed, "post"))).isInstanceOf(Decision.Denied.class);
        }

        @Test
        void withoutCeilingsTheManifestIsGrantedAsDeclared() {
            PolicyChain open = PolicyChain.create(null, PolicyLayer.open("agent:a"), null);
            assertThat(allowed(open.decide(request(OBSIDIAN, "read"))).workspace()).isEqualTo(WorkspaceAccess.RW);
            assertThat(allowed(open.decide(request(HIMALAYA, "send"))))
                    .isEqualTo(new EffectivePermissions(WorkspaceAccess.NONE,
                            new NetworkPolicy(List.of("imap.example.com:993", "smtp.example.com:465")),
                            List.of("IMAP_PASSWORD")));
        }

        @Test
        void anEmptySecretListRefusesASkillThatNeedsOne() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'permissions': {'secrets': []}}"));
            assertThat(c.decide(request(HIMALAYA, "list"))).isInstanceOf(Decision.Denied.class);
            assertThat(c.decide(request(WEB, "fetch"))).isInstanceOf(Decision.Allowed.class);
        }
    }

    @Nested
    class Wildcards {

        @Test
        void skillStarCoversOnlyThatSkillsToolsNotASkillWithTheSamePrefix() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'tools': {'allow': ['obsidian.*']}}"));
            assertThat(c.visibleTools(CATALOG)).containsExactly("obsidian.create", "obsidian.read", "obsidian.search");
            assertThat(c.decide(request(OBSIDIAN_EXTRA, "read"))).isInstanceOf(Decision.Denied.class);
            PolicyChain skills = PolicyChain.of(layer("agent:a", "{'skills': ['obsidian']}"));
            assertThat(skills.decide(request(OBSIDIAN_EXTRA, "read"))).isInstanceOf(Decision.Denied.class);
        }

        @Test
        void anEmptyAllowListAllowsNothingAndAnAbsentOneAllowsAll() {
            assertThat(PolicyChain.of(layer("agent:a", "{'skills': []}")).visibleTools(CATALOG)).isEmpty();
            assertThat(PolicyChain.of(layer("agent:a", "{'tools': {'allow': []}}")).visibleTools(CATALOG)).isEmpty();
            assertThat(PolicyChain.of(layer("agent:a", "{'tools': {'deny': []}}")).visibleTools(CATALOG)).hasSize(7);
        }

        @Test
        void visibleToolsIsExactlyWhatDecideAllows() {
            PolicyChain c = PolicyChain.create(layer("global", "{'skills': {'deny': ['web']}}"),
                    layer("agent:a", "{'permissions': {'workspace': 'ro', 'secrets': ['IMAP_PASSWORD']}}"), null);
            assertThat(c.visibleTools(CATALOG)).containsExactly("himalaya.list", "himalaya.send",
                    "obsidian-extra.read", "obsidian.read", "obsidian.search");
        }
    }

    @Nested
    class WhateverTheModelAsks {

        @Test
        void anUnknownSkillOrToolIsRefusedAsUnknown() {
            PolicyChain open = PolicyChain.of(PolicyLayer.open("global"));
            assertThat(open.decide(CATALOG, "nosuch.read")).isEqualTo(
                    new Decision.Denied(Decision.Denied.CATALOG, "no skill 'nosuch' is loaded"));
            assertThat(open.decide(CATALOG, "obsidian.delete")).isEqualTo(
                    new Decision.Denied(Decision.Denied.CATALOG, "skill 'obsidian' has no tool 'delete'"));
        }

        @Test
        void aForbiddenSkillIsRefusedByPolicyWhetherOrNotItExists() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'skills': ['obsidian']}"));
            Decision.Denied loaded = (Decision.Denied) c.decide(CATALOG, "himalaya.send");
            Decision.Denied missing = (Decision.Denied) c.decide(CATALOG, "gmail.send");
            assertThat(loaded.layer()).isEqualTo("agent:a");
            assertThat(missing.layer()).isEqualTo("agent:a");
            assertThat(missing.reason()).isEqualTo("agent 'a' does not allow skill 'gmail'");
        }

        @Test
        void aDeniedCallIsNeverAllowedOnRetry() {
            PolicyChain c = PolicyChain.of(layer("agent:a", "{'tools': {'deny': ['himalaya.send']}}"));
            for (int i = 0; i < 3; i++) {
                assertThat(c.decide(CATALOG, "himalaya.send")).isInstanceOf(Decision.Denied.class);
            }
        }
    }

    /** Tricks on the name: none may reach a tool the policy denies, or any tool it does not allow. */
    @Nested
    class Attacks {

        static Stream<String> tricks() {
            return Stream.of("obsidian.read ", " obsidian.read", "obsidian.read\t", "obsidian.read\n", "obsidian.read\u0000",
                    "OBSIDIAN.read", "obsidian.READ", "Obsidian.Read", "obsidian..read", "obsidian.*", "*", "*.read",
                    "obsidian.", ".read", "obsidian", "", "obsidian.read.x", "obsidian/read", "obsidian:read",
                    "obsidian\u2024read", "obsidian\uff0eread", "obs\u0456dian.read", "obsidian.r\u0435ad",
                    "\uff4fbsidian.read", "obsidian.rea\u200bd", "obsidian.read\u200b", "\ufeffobsidian.read",
                    "obsidian.re\u0430d", "obsidia\u0274.read", "obsidian-extra/../obsidian.read", "obsidian.read%00",
                    "obsidian.re\\u0061d", "obsidian.r?ad", "obsidian.*read");
        }

        @ParameterizedTest
        @MethodSource("tricks")
        void aTrickedNameDoesNotGetPastADeny(String name) {
            PolicyChain c = PolicyChain.of(layer("global", "{'tools': {'allow': ['*'], 'deny': ['obsidian.read']}}"));
            Decision d = c.decide(CATALOG, name);
            assertThat(d).as(PolicyNames.quote(name)).isInstanceOf(Decision.Denied.class);
        }

        @ParameterizedTest
        @MethodSource("tricks")
        void aTrickedNameDoesNotGetPastAnAllowList(String name) {
            // Only search is allowed; every trick aims at read.
            PolicyChain c = PolicyChain.of(layer("global", "{'tools': {'allow': ['obsidian.search']}}"));
            assertThat(c.decide(CATALOG, name)).as(PolicyNames.quote(name)).isInstanceOf(Decision.Denied.class);
        }

        @ParameterizedTest
        @MethodSource("tricks")
        void aTrickedNameIsRefusedEvenWhenEverythingIsAllowed(String name) {
            // With no policy at all a trick must still not be resolved to the real obsidian.read.
            PolicyChain open = PolicyChain.of(layer("global", "{'skills': ['*'], 'tools': {'allow': ['*']}}"));
            assertThat(open.decide(CATALOG, name)).as(PolicyNames.quote(name)).isInstanceOf(Decision.Denied.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"read ", "READ", "*", ".read", "", "re\u0430d", "read\u0000", "obsidian.read"})
        void aTrickedToolInARequestIsRefusedAsARequestProblem(String tool) {
            PolicyChain open = PolicyChain.of(PolicyLayer.open("global"));
            ToolRequest r = new ToolRequest("obsidian", tool, Effect.READ, WorkspaceAccess.RO, null, null);
            Decision.Denied d = (Decision.Denied) open.decide(r);
            assertThat(d.layer()).isEqualTo(Decision.Denied.REQUEST);
            assertThat(d.reason()).doesNotContain("\u0000").doesNotContain("\u0430");
        }

        @ParameterizedTest
        @ValueSource(strings = {"obsidian ", "*", "Obsidian", "obs\u0456dian", "obsidian.", "o", "obsidian/.."})
        void aTrickedSkillInARequestIsRefusedAsARequestProblem(String skill) {
            PolicyChain open = PolicyChain.of(PolicyLayer.open("global"));
            ToolRequest r = new ToolRequest(skill, "read", Effect.READ, WorkspaceAccess.RO, null, null);
            assertThat(open.decide(r)).isInstanceOf(Decision.Denied.class)
                    .extracting(d -> ((Decision.Denied) d).layer()).isEqualTo(Decision.Denied.REQUEST);
        }

        @Test
        void aLookAlikeIsShownEscapedSoTheOperatorSeesIt() {
            Decision.Denied d = (Decision.Denied) PolicyChain.of().decide(CATALOG, "obs\u0456dian.read");
            assertThat(d.reason()).contains("obs\\u0456dian");
        }
    }

    /**
     * The defining property, on random layers: a chain allows a call exactly when every one of its layers
     * alone allows it, and grants the intersection of what each would grant. So adding a layer never allows
     * more, whatever it says and wherever it sits.
     */
    @Test
    void randomChainsAreTheConjunctionOfTheirLayers() {
        Random rnd = new Random(6);
        List<ToolRequest> calls = new ArrayList<>();
        for (SkillManifest m : CATALOG) {
            for (ToolDeclaration t : m.tools()) {
                calls.add(ToolRequest.of(m, t));
            }
        }
        int allowedSeen = 0;
        int deniedSeen = 0;
        for (int round = 0; round < 1000; round++) {
            List<PolicyLayer> layers = new ArrayList<>();
            int n = rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                layers.add(randomLayer(rnd, "agent:l" + i));
            }
            PolicyChain chain = new PolicyChain(layers);
            for (ToolRequest r : calls) {
                Decision whole = chain.decide(r);
                List<Decision> each = layers.stream().map(l -> PolicyChain.of(l).decide(r)).toList();
                boolean all = each.stream().allMatch(d -> d instanceof Decision.Allowed);
                if ((whole instanceof Decision.Allowed) != all) {
                    fail("round %d %s: chain says %s, layers alone say %s".formatted(round, r, whole, each));
                }
                if (whole instanceof Decision.Allowed a) {
                    allowedSeen++;
                    EffectivePermissions p = a.permissions();
                    for (Decision d : each) {
                        EffectivePermissions q = ((Decision.Allowed) d).permissions();
                        assertThat(p.workspace()).isLessThanOrEqualTo(q.workspace());
                        assertThat(q.network().allow()).containsAll(p.network().allow());
                    }
                    assertThat(r.network().allow()).containsAll(p.network().allow());
                    assertThat(p.workspace()).isLessThanOrEqualTo(r.workspace());
                    Set<String> meet = new HashSet<>(r.network().allow());
                    each.forEach(d -> meet.retainAll(((Decision.Allowed) d).permissions().network().allow()));
                    assertThat(new HashSet<>(p.network().allow())).isEqualTo(meet);
                } else {
                    deniedSeen++;
                    // The refusing layer really refuses on its own.
                    String by = ((Decision.Denied) whole).layer();
                    PolicyLayer refuser = layers.stream().filter(l -> l.name().equals(by)).findFirst().orElseThrow();
                    assertThat(PolicyChain.of(refuser).decide(r)).isInstanceOf(Decision.Denied.class);
                }
            }
        }
        assertThat(allowedSeen).isGreaterThan(300);
        assertThat(deniedSeen).isGreaterThan(300);
    }

    private static PolicyLayer randomLayer(Random rnd, String name) {
        List<String> skillPool = List.of("*", "obsidian", "obsidian-extra", "himalaya", "web");
        List<String> toolPool = List.of("*", "obsidian.*", "obsidian.read", "obsidian.create", "himalaya.*",
                "himalaya.send", "web.fetch", "obsidian-extra.read");
        List<String> hostPool = List.of("a.example:443", "b.example", "c.example:443", "imap.example.com",
                "smtp.example.com:465", "smtp.example.com:25");
        AllowDeny skills = AllowDeny.skills(rnd.nextInt(3) == 0 ? null : pick(rnd, skillPool, 3),
                rnd.nextInt(4) == 0 ? pick(rnd, skillPool.subList(1, 5), 1) : List.of());
        AllowDeny tools = AllowDeny.tools(rnd.nextInt(3) == 0 ? null : pick(rnd, toolPool, 4),
                rnd.nextInt(4) == 0 ? pick(rnd, toolPool.subList(1, 8), 1) : List.of());
        var ws = rnd.nextInt(2) == 0 ? java.util.Optional.<WorkspaceAccess>empty()
                : java.util.Optional.of(WorkspaceAccess.values()[rnd.nextInt(3)]);
        var net = rnd.nextInt(2) == 0 ? java.util.Optional.<Set<String>>empty()
                : java.util.Optional.of(Set.copyOf(pick(rnd, hostPool, 4)));
        var sec = rnd.nextInt(2) == 0 ? java.util.Optional.<Set<String>>empty()
                : java.util.Optional.of(Set.copyOf(pick(rnd, List.of("IMAP_PASSWORD", "OTHER"), 2)));
        return new PolicyLayer(name, skills, tools, new PermissionCeiling(ws, net, sec));
    }

    private static List<String> pick(Random rnd, List<String> pool, int max) {
        List<String> out = new ArrayList<>();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            out.add(pool.get(rnd.nextInt(pool.size())));
        }
        return out;
    }

    private static EffectivePermissions allowed(Decision d) {
        assertThat(d).isInstanceOf(Decision.Allowed.class);
        return ((Decision.Allowed) d).permissions();
    }
}

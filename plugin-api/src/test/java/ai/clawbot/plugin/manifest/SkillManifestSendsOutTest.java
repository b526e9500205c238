package ai.clawbot.plugin.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one after-a-secret predicate the gateway's tool gate and the security audit both ask. */
class SkillManifestSendsOutTest {

    private static final NetworkPolicy NONE = NetworkPolicy.none();
    private static final NetworkPolicy API = new NetworkPolicy(List.of("api.example.com:443"));
    private static final NetworkPolicy GRANTABLE = new NetworkPolicy(List.of(),
            List.of(new NetworkGrant("endpoint", List.of(443), List.of("https"), "the operator's server", false)));

    private static SkillManifest skill(Effect... effects) {
        List<ToolDeclaration> tools = new java.util.ArrayList<>();
        for (int i = 0; i < effects.length; i++) {
            tools.add(new ToolDeclaration("t" + i, "tool " + i, null, effects[i]));
        }
        return new SkillManifest("s", "1.0.0", "a skill", tools, null, null, API);
    }

    @Test
    void anExternalEffectSendsOutEvenWithoutNetwork() {
        assertThat(skill(Effect.READ, Effect.EXTERNAL).sendsOut(Effect.EXTERNAL, NONE)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Effect.class, names = {"READ", "WRITE"})
    void anyNetworkSendsOutWhateverTheEffect(Effect effect) {
        SkillManifest s = skill(Effect.READ, Effect.WRITE);
        assertThat(s.sendsOut(effect, API)).as("allowlisted host").isTrue();
        assertThat(s.sendsOut(effect, GRANTABLE)).as("operator-grantable host").isTrue();
        assertThat(s.sendsOut(effect, NONE)).as("no network").isFalse();
    }

    @Test
    void theGrantedNetworkDecidesNotTheSignedOne() {
        // The manifest signs an allowlist, but a session or agent policy may have narrowed it to none.
        assertThat(skill(Effect.READ).sendsOut(Effect.READ, NONE)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Effect.class)
    void aVaultSkillsNetworkIsItsVaultNotAWayOut(Effect effect) {
        SkillManifest vault = skill(Effect.READ, Effect.SECRET);
        assertThat(vault.hasSecretTool()).isTrue();
        assertThat(vault.sendsOut(effect, API)).isFalse();
        assertThat(vault.sendsOut(effect, GRANTABLE)).isFalse();
    }

    @Test
    void withoutASecretToolASkillIsNoVault() {
        assertThat(skill(Effect.READ, Effect.WRITE, Effect.EXTERNAL).hasSecretTool()).isFalse();
        assertThat(skill().hasSecretTool()).isFalse();
    }
}

package ai.clawbot.host.policy;

import static ai.clawbot.host.policy.PolicyFixtures.layer;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.plugin.manifest.SandboxSpec;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolApproval;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tool named as another's {@code approval.preview} is never visible (so never offered to a model nor listed by
 * {@code /mcp}, which both take the chain's visible tools) and refused by name, whatever the layers allow.
 */
class PreviewToolPolicyTest {

    private static final SkillManifest MAIL = new SkillManifest("mail", "1.0.0", "mail", List.of(
            new ToolDeclaration("reply", "reply", PolicyFixtures.JSON.createObjectNode().put("type", "object"),
                    Effect.EXTERNAL, List.of(), new ToolApproval("reply_preview")),
            PolicyFixtures.tool("reply_preview", Effect.READ),
            PolicyFixtures.tool("read", Effect.READ)),
            new SandboxSpec("clawbot/skill-jre:17"), new Permissions(WorkspaceAccess.NONE, List.of(), null),
            new NetworkPolicy(List.of("imap.example.com:993")));

    @Test
    void aPreviewToolIsNotVisibleEvenWhenEveryLayerAllowsEverything() {
        PolicyChain chain = PolicyChain.of(layer("global", "{'skills': ['*'], 'tools': {'allow': ['*']}}"));
        assertThat(chain.visibleTools(List.of(MAIL))).containsExactly("mail.read", "mail.reply");
    }

    @Test
    void aPreviewToolCalledByNameIsRefusedAsAPreview() {
        PolicyChain chain = PolicyChain.of(layer("global", "{'tools': {'allow': ['mail.*']}}"));
        assertThat(chain.decide(List.of(MAIL), "mail", "reply_preview")).isInstanceOfSatisfying(Decision.Denied.class, d -> {
            assertThat(d.layer()).isEqualTo(Decision.Denied.PREVIEW);
            assertThat(d.reason()).contains("mail.reply_preview").contains("approval preview");
            assertThat(d.rule()).isEqualTo("approval.preview");
        });
        assertThat(chain.decide(List.of(MAIL), "mail", "reply")).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void aLayersDenyStillWinsOverThePreviewReason() {
        PolicyChain chain = PolicyChain.of(layer("global", "{'tools': {'deny': ['mail.reply_preview']}}"));
        assertThat(chain.decide(List.of(MAIL), "mail", "reply_preview")).isInstanceOfSatisfying(Decision.Denied.class,
                d -> assertThat(d.layer()).isEqualTo("global"));
    }
}

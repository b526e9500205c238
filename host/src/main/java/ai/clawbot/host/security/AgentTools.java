package ai.clawbot.host.security;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.policy.Decision;
import ai.clawbot.host.policy.EffectivePermissions;
import ai.clawbot.host.policy.PolicyChain;
import ai.clawbot.host.policy.PolicyLayer;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.host.policy.ToolRequest;
import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import java.util.ArrayList;
import java.util.List;

/**
 * What each configured agent may call, as the policy chain (global, then the agent) decides it for the plugins a
 * gateway would load now, with the permissions each tool would run with. Session policies narrow further at run
 * time; the audit judges the widest an agent can get.
 */
record AgentTools(AgentDefinition agent, PreApprovals preApprovals, List<Tool> tools) {

    /** One callable tool and what it would run with. */
    record Tool(SkillManifest skill, ToolDeclaration tool, EffectivePermissions permissions) {

        String name() {
            return skill.id() + "." + tool.name();
        }

        /**
         * Reveals a secret to the model: a {@code secret} effect. A skill's own mounted credential (an API key it
         * uses against its own allowlisted API) does not count: its signed code uses the key and never returns it,
         * so a prompt injection cannot make the agent hold it; a tool that does return one must declare
         * {@code secret}.
         */
        boolean revealsSecrets() {
            return tool.effect() == Effect.SECRET;
        }

        /**
         * Sends data out, as {@link SkillManifest#sendsOut} (the gateway's after-a-secret rule) judges it; the
         * manifests come configured from {@link AuditContext#activeSkills()}, so operator grants count.
         */
        boolean sendsOut() {
            return skill.sendsOut(tool.effect(), permissions.network());
        }
    }

    /**
     * Every agent of the config; agents whose policy cannot be read are skipped here (the gateway refuses such a
     * config, and {@code config.invalid} reports it).
     */
    static List<AgentTools> of(AuditContext c) {
        AgentRegistry registry;
        PolicyLayer global;
        try {
            registry = AgentRegistry.fromConfig(c.config().get("agents"));
            global = PolicyLayer.fromJson("global", c.config().path("agents").path("defaults"));
        } catch (RuntimeException e) {
            return List.of();
        }
        List<AgentTools> out = new ArrayList<>();
        for (AgentDefinition a : registry.all()) {
            PolicyChain chain;
            PreApprovals pre;
            try {
                chain = PolicyChain.create(global, PolicyLayer.fromJson(PolicyLayer.agentName(a.id()), a.config()), null);
                pre = PreApprovals.fromJson(a.config().path("approvals"));
            } catch (RuntimeException e) {
                continue;
            }
            List<Tool> tools = new ArrayList<>();
            for (SkillManifest m : c.activeSkills()) {
                for (ToolDeclaration t : m.tools()) {
                    // An approval preview is no tool of the agent's: the gateway runs it, before its tool's approval.
                    if (!m.isPreviewTool(t.name()) && chain.decide(ToolRequest.of(m, t)) instanceof Decision.Allowed ok) {
                        tools.add(new Tool(m, t, ok.permissions()));
                    }
                }
            }
            out.add(new AgentTools(a, pre, tools));
        }
        return out;
    }
}

package ai.clawbot.host.wiring;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewaySettings;
import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentEngine;
import ai.clawbot.host.agents.AgentLoop;
import ai.clawbot.host.agents.AgentType;
import ai.clawbot.host.agents.ModelCaller;
import ai.clawbot.host.agents.OfferedTools;
import ai.clawbot.host.agents.OfflineModel;
import ai.clawbot.host.models.ModelException;
import ai.clawbot.host.observe.GatewayMetrics;
import ai.clawbot.host.models.ModelProviders;
import ai.clawbot.host.models.ModelRole;
import ai.clawbot.host.models.ModelRouter;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.PolicyAudit;
import ai.clawbot.host.policy.PolicyChain;
import ai.clawbot.host.policy.PolicyLayer;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.host.policy.SessionPolicies;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.tools.AgentToolInvoker;
import ai.clawbot.host.tools.ToolGate;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Assembles the agent loop from the config: models (the router over {@code models.providers}, or the offline
 * model), the policy chain global ({@code agents.defaults}) → agent ({@code agents.list[]} entry) → session, the
 * approval queue, and the sandbox. Re-reads the settings on every run, so a {@code config.patch} applies to the
 * next run.
 */
final class AgentWiring {

    private AgentWiring() {
    }

    /**
     * Model {@code apiKey}s may be {@code op://} references, resolved through {@code secrets}; every model call is
     * counted in {@code metrics}.
     */
    static AgentEngine loop(Supplier<SkillCatalog> catalog, ToolGate gate, AtomicReference<GatewaySettings> settings,
                            SessionPolicies sessions, Gateway.Options options, ai.clawbot.host.secrets.SecretResolver secrets,
                            GatewayMetrics metrics) {
        ModelProviders providers = ModelProviders.withBuiltIns();
        AtomicReference<JsonNode> routerSource = new AtomicReference<>();
        AtomicReference<ModelRouter> routerRef = new AtomicReference<>();
        Supplier<ModelRouter> currentRouter = () -> {
            JsonNode models = settings.get().models();
            synchronized (routerRef) {
                // Rebuilt only when the models section changed, so provider cooldowns survive between runs.
                if (routerRef.get() == null || !models.equals(routerSource.get())) {
                    routerRef.set(ModelRouter.builder().config(models).providers(providers).secrets(secrets)
                            .observer(call -> metrics.modelCall(call.provider(), call.model(),
                                    call.outcome().name().toLowerCase(java.util.Locale.ROOT), call.inputTokens(),
                                    call.outputTokens()))
                            .build());
                    routerSource.set(models);
                }
                return routerRef.get();
            }
        };
        Function<AgentDefinition, ModelCaller> models = options.models() != null ? options.models()
                : agent -> modelFor(agent, currentRouter.get(), settings.get().agentDefaults());
        java.util.function.BiFunction<AgentDefinition, String, OfferedTools> tools = (agent, sessionKey) -> {
            List<LoadedSkill> skills = catalog.get().skills();
            Set<String> visible = visibleTools(settings.get(), agent, sessionKey, sessions, skills);
            return OfferedTools.of(skills, (skill, tool) -> visible.contains(skill + "." + tool));
        };
        return new AgentLoop(models, tools, new AgentToolInvoker(gate), AgentLoop.Limits.defaults()
                .withMaxIterations(settings.get().agentDefaults().path("maxIterations").asInt(8)));
    }

    /**
     * The gate every door shares: policy (global → agent → session), the agent's pre-approvals, approvals, the
     * sandbox with the agent's workspace and the skill's settings, the audit.
     */
    static ToolGate gate(Supplier<SkillCatalog> catalog, ai.clawbot.host.sandbox.Sandbox sandbox,
                         java.util.function.Function<String, java.nio.file.Path> workspaces,
                         AtomicReference<GatewaySettings> settings, ApprovalQueue approvals, PolicyAudit audit,
                         SessionPolicies sessions, Gateway.Options options) {
        return ToolGate.builder().catalog(catalog).sandbox(sandbox).workspaces(workspaces)
                .settings(id -> settings.get().skillSettings(id))
                .policies((agent, sessionKey) -> policy(settings.get(), agent, sessionKey, sessions))
                .preApprovals(agent -> PreApprovals.fromJson(agent.config().path("approvals")))
                .approvals(approvals, options.approvalTimeout()).audit(audit).revealed(Gateway.REDACTOR::add).build();
    }

    /** Global → agent → session (the session layer only when a session is known and has a policy). */
    /** The {@code skill.tool} names the policy chain lets {@code agent} see in {@code sessionKey}: what every door offers. */
    static Set<String> visibleTools(GatewaySettings settings, AgentDefinition agent, String sessionKey,
                                    SessionPolicies sessions, List<LoadedSkill> skills) {
        return policy(settings, agent, sessionKey, sessions).visibleTools(skills.stream().map(LoadedSkill::manifest).toList());
    }

    static PolicyChain policy(GatewaySettings settings, AgentDefinition agent, String sessionKey, SessionPolicies sessions) {
        return PolicyChain.create(PolicyLayer.fromJson("global", settings.agentDefaults()),
                PolicyLayer.fromJson(PolicyLayer.agentName(agent.id()), agent.config()),
                sessionKey == null ? null : sessions.layer(sessionKey).orElse(null));
    }

    private static ModelCaller modelFor(AgentDefinition agent, ModelRouter router, JsonNode defaults) {
        if (!router.configured()) {
            return new OfflineModel();
        }
        ModelRole role = agent.type() == AgentType.CODER ? ModelRole.CODER : ModelRole.PLANNER;
        ai.clawbot.host.agents.AgentModelChoice choice = ai.clawbot.host.agents.AgentModelChoice.of(agent, defaults);
        return new ModelCaller() {
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse chat(dev.langchain4j.model.chat.request.ChatRequest request,
                    java.util.function.Consumer<String> partial, java.util.function.BooleanSupplier aborted) throws ModelCallException {
                try {
                    return router.chat(router.candidates(choice.primary(), choice.fallbacks(), role), request, partial, aborted);
                } catch (ModelException e) {
                    throw new ModelCaller.ModelCallException(e.getMessage(), e);
                }
            }

            @Override
            public java.util.OptionalInt contextWindowTokens() {
                try {
                    return router.candidates(choice.primary(), choice.fallbacks(), role).stream().findFirst()
                            .map(router::contextWindow).orElse(java.util.OptionalInt.empty());
                } catch (RuntimeException unresolvable) {
                    return java.util.OptionalInt.empty(); // the call itself reports it
                }
            }
        };
    }
}

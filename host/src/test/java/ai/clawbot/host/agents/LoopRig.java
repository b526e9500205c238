package ai.clawbot.host.agents;

import ai.clawbot.host.policy.ApprovalListener;
import ai.clawbot.host.policy.ApprovalQueue;
import ai.clawbot.host.policy.ApprovalRequest;
import ai.clawbot.host.policy.PolicyAudit;
import ai.clawbot.host.policy.PolicyChain;
import ai.clawbot.host.policy.PolicyLayer;
import ai.clawbot.host.policy.PreApprovals;
import ai.clawbot.host.sessions.TranscriptEntry;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.ScriptedChatModel;
import ai.clawbot.host.tools.AgentToolInvoker;
import ai.clawbot.host.tools.ToolGate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The real agent loop wired as {@code AgentWiring} wires it (policy chain global → agent, tools offered by that
 * chain, the {@link ToolGate} behind {@link AgentToolInvoker}, with a real approval queue and audit), over a recording fake sandbox. The global
 * layer can be changed while a run is under way, as a {@code config.patch} would.
 */
final class LoopRig implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SESSION = "agent:%s:main";

    final Path state;
    final SkillCatalog catalog;
    final RecordingSandbox sandbox = new RecordingSandbox();
    final PolicyAudit audit;
    final ApprovalQueue approvals;
    final AtomicReference<JsonNode> global = new AtomicReference<>(NullNode.getInstance());
    final RecordingStream out = new RecordingStream();

    LoopRig(Path state, SkillCatalog catalog) throws IOException {
        this.state = state;
        this.catalog = catalog;
        Files.createDirectories(state.resolve("workspace"));
        this.audit = PolicyAudit.create(state, null);
        this.approvals = ApprovalQueue.create(audit);
    }

    PolicyChain policy(AgentDefinition agent) {
        return PolicyChain.create(PolicyLayer.fromJson("global", global.get()),
                PolicyLayer.fromJson(PolicyLayer.agentName(agent.id()), agent.config()), null);
    }

    AgentLoop loop(ScriptedChatModel model, AgentLoop.Limits limits, Duration approvalTimeout) {
        BiFunction<AgentDefinition, String, OfferedTools> tools = (agent, sessionKey) -> {
            List<LoadedSkill> skills = catalog.skills();
            Set<String> visible = policy(agent).visibleTools(skills.stream().map(LoadedSkill::manifest).toList());
            return OfferedTools.of(skills, (skill, tool) -> visible.contains(skill + "." + tool));
        };
        BiFunction<AgentDefinition, String, PolicyChain> policies = (agent, sessionKey) -> policy(agent);
        ToolGate gate = ToolGate.builder().catalog(() -> catalog).sandbox(sandbox).workspace(state.resolve("workspace"))
                .policies(policies).preApprovals(agent -> PreApprovals.fromJson(agent.config().path("approvals")))
                .approvals(approvals, approvalTimeout).audit(audit).build();
        return new AgentLoop(agent -> new StreamingModelCaller(model, "scripted"), tools, new AgentToolInvoker(gate), limits);
    }

    AgentEngine.Reply run(ScriptedChatModel model, AgentDefinition agent, String message) throws InterruptedException {
        return run(model, agent, List.of(), message, AgentLoop.Limits.defaults(), Duration.ofSeconds(10));
    }

    AgentEngine.Reply run(ScriptedChatModel model, AgentDefinition agent, List<TranscriptEntry> history, String message,
                          AgentLoop.Limits limits, Duration approvalTimeout) throws InterruptedException {
        return loop(model, limits, approvalTimeout).run(new AgentEngine.Turn(agent, SESSION.formatted(agent.id()),
                "run-" + System.nanoTime(), history, message), out);
    }

    /** Records every approval request and, unless {@code decision} is null, answers it from the queue's event thread. */
    List<ApprovalRequest> operator(String decision) {
        List<ApprovalRequest> seen = new CopyOnWriteArrayList<>();
        approvals.addListener(new ApprovalListener() {
            @Override
            public void requested(ApprovalRequest request) {
                seen.add(request);
                if (decision != null) {
                    approvals.resolve(request.id(), decision, "tester");
                }
            }
        });
        return seen;
    }

    /** The lines of {@code <state>/logs/audit.jsonl}; none when it does not exist. */
    List<JsonNode> auditLines() throws IOException {
        Path f = state.resolve("logs").resolve("audit.jsonl");
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    /** An agent as {@code agents.list[]} would configure it, e.g. {@code {"id":"a","skills":["demo"]}}. */
    static AgentDefinition agent(String entryJson) {
        try {
            ObjectNode section = JSON.createObjectNode();
            section.putArray("list").add(JSON.readTree(entryJson));
            return AgentRegistry.fromConfig(section).all().get(0);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<String> offered(ChatRequest r) {
        return r.toolSpecifications() == null ? List.of()
                : r.toolSpecifications().stream().map(ToolSpecification::name).toList();
    }

    static List<ToolExecutionResultMessage> results(ChatRequest r) {
        return r.messages().stream().filter(ToolExecutionResultMessage.class::isInstance)
                .map(ToolExecutionResultMessage.class::cast).toList();
    }

    @Override
    public void close() {
        approvals.close();
    }
}

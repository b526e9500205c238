package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentDefinition;
import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.SessionKeys;
import ai.clawbot.host.tools.ToolGate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code POST /api/voice/transcribe[?sessionKey=...]}: the Control UI's microphone. The body is one recorded clip
 * (WAV, as the page encodes it; at most {@value #MAX_BYTES} bytes, refused with 413 before more is read), the gateway
 * token is the bearer. The clip is written to the session's agent workspace under {@code .voice/} (the only place a
 * skill's sandbox can read it), transcribed by the operator's chosen skill ({@code gateway.controlUi.voice.skill},
 * default {@value #DEFAULT_SKILL}) with its {@code transcribe} tool through the one {@link ToolGate} — the agent's
 * policy, approvals and sandbox, door {@value #DOOR} — and removed again. The answer is {@code {text, skill}}, or
 * {@code {error: {code, message}}} with a status that says whose problem it is.
 */
public final class VoiceEndpoint {

    static final String DOOR = "controlUi.voice";
    static final String DEFAULT_SKILL = "whisper";
    /** The speech skills' own limit (OpenAI's 25 MB). */
    static final long MAX_BYTES = 25L * 1024 * 1024;
    private static final Status UNPROCESSABLE = Status.create(422, "Unprocessable Content");
    private static final System.Logger LOG = System.getLogger(VoiceEndpoint.class.getName());

    private final ToolGate gate;
    private final Supplier<AgentRegistry> agents;
    private final Function<String, Path> workspaces;
    private final Supplier<JsonNode> voiceConfig;

    public VoiceEndpoint(ToolGate gate, Supplier<AgentRegistry> agents, Function<String, Path> workspaces,
                  Supplier<JsonNode> voiceConfig) {
        this.gate = gate;
        this.agents = agents;
        this.workspaces = workspaces;
        this.voiceConfig = voiceConfig;
    }

    /** The configured skill id. */
    String skill() {
        String s = voiceConfig.get().path("skill").asText("");
        return s.isBlank() ? DEFAULT_SKILL : s;
    }

    void handle(ProtocolContext ctx, ServerRequest req, ServerResponse res) {
        GatewayRouting.securityHeaders(res);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        // The gateway token was checked by the route's guard (HttpAuth), before this handler.
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > MAX_BYTES) {
            error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "TOO_LARGE", "the clip is " + declared
                    + " bytes; the limit is " + MAX_BYTES + " bytes (25 MB)");
            return;
        }
        byte[] clip;
        try (InputStream in = req.content().inputStream()) {
            clip = in.readNBytes((int) MAX_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            error(res, Status.BAD_REQUEST_400, "BAD_UPLOAD", "the upload broke off: " + e.getMessage());
            return;
        }
        if (clip.length > MAX_BYTES) {
            error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "TOO_LARGE", "the clip is over the limit of " + MAX_BYTES
                    + " bytes (25 MB)");
            return;
        }
        if (clip.length == 0) {
            error(res, Status.BAD_REQUEST_400, "EMPTY_AUDIO", "the clip is empty: nothing was recorded");
            return;
        }

        AgentRegistry registry = agents.get();
        SessionKeys.Resolved key;
        try {
            String raw = req.query().first("sessionKey").orElse("main");
            key = SessionKeys.resolve(raw.length() > SessionKeys.MAX_LENGTH ? "" : raw, registry.defaultAgent().id());
        } catch (IllegalArgumentException e) {
            error(res, Status.BAD_REQUEST_400, "INVALID_PARAMS", "bad sessionKey: " + e.getMessage());
            return;
        }
        AgentDefinition agent = registry.find(key.agentId()).orElse(null);
        if (agent == null) {
            error(res, Status.NOT_FOUND_404, "UNKNOWN_AGENT", "no agent '" + key.agentId() + "'");
            return;
        }
        String skill = skill();
        Path clipFile;
        String relative = ".voice/" + UUID.randomUUID() + ".wav";
        try {
            // A sandbox with a writable workspace could have made .voice a link to anywhere; the gateway writes only
            // into a real folder inside the workspace, and never through a link.
            Path ws = workspaces.apply(agent.id()).toRealPath();
            Path folder = ws.resolve(".voice");
            if (Files.isSymbolicLink(folder)) {
                error(res, Status.CONFLICT_409, "VOICE_FOLDER_LINK", "the workspace's .voice is a symlink; remove it");
                return;
            }
            Files.createDirectories(folder);
            if (!folder.toRealPath().equals(folder)) {
                error(res, Status.CONFLICT_409, "VOICE_FOLDER_LINK", "the workspace's .voice leads elsewhere; remove it");
                return;
            }
            clipFile = folder.resolve(relative.substring(".voice/".length()));
            Files.write(clipFile, clip, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "voice clip not stored: " + e.getMessage());
            error(res, Status.INTERNAL_SERVER_ERROR_500, "NO_WORKSPACE", "the clip could not be stored in the "
                    + "agent's workspace");
            return;
        }
        // The clip is removed before the answer goes out: a client that has its answer finds no clip left behind.
        java.util.function.Consumer<ServerResponse> answer;
        try {
            answer = transcribe(agent, key.sessionKey(), skill, relative);
        } finally {
            try {
                Files.deleteIfExists(clipFile);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "voice clip not removed: " + clipFile);
            }
        }
        answer.accept(res);
    }

    /** Transcribes the stored clip through the gate; returns how to answer (sent by the caller once the clip is gone). */
    private java.util.function.Consumer<ServerResponse> transcribe(AgentDefinition agent, String sessionKey, String skill,
                                                                   String relative) {
        try {
            ObjectNode args = Frames.JSON.createObjectNode().put("path", relative).put("format", "text");
            ObjectNode reply = GateReplies.reply(gate.call(new ToolGate.Request(agent, sessionKey, DOOR, skill,
                    "transcribe", args), () -> false));
            JsonNode structured = reply.path("structured");
            if (reply.path("isError").asBoolean()) {
                String code = structured.at("/error/code").asText("TOOL_ERROR");
                String message = skill + " could not transcribe the clip: "
                        + structured.at("/error/message").asText(reply.path("text").asText());
                return r -> error(r, UNPROCESSABLE, code, message);
            }
            String text = structured.path("text").isTextual() ? structured.path("text").asText() : reply.path("text").asText();
            String json = Frames.JSON.createObjectNode().put("text", text.strip()).put("skill", skill)
                    .put("sessionKey", sessionKey).toString();
            return r -> {
                r.header(HeaderValues.CONTENT_TYPE_JSON);
                r.send(json);
            };
        } catch (GatewayException e) {
            ErrorShape err = e.error();
            Status status = switch (err.code()) {
                case "FORBIDDEN" -> Status.FORBIDDEN_403;
                case "NOT_FOUND" -> Status.NOT_FOUND_404;
                case "INVALID_REQUEST" -> Status.BAD_REQUEST_400;
                default -> Status.BAD_GATEWAY_502;
            };
            String code = err.details() != null ? err.details().path("code").asText(err.code()) : err.code();
            return r -> error(r, status, code, err.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return r -> error(r, Status.SERVICE_UNAVAILABLE_503, "SHUTTING_DOWN", "the gateway is shutting down");
        }
    }

    static void error(ServerResponse res, Status status, String code, String message) {
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        ObjectNode body = Frames.JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        res.status(status).send(body.toString());
    }
}

package ai.clawbot.host.gateway;

import ai.clawbot.host.agents.AgentRegistry;
import ai.clawbot.host.agents.ChatException;
import ai.clawbot.host.agents.ChatRun;
import ai.clawbot.host.agents.ChatRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * OpenAI-compatible {@code POST /v1/chat/completions} (off unless
 * {@code gateway.http.endpoints.chatCompletions.enabled}). The bearer token is the gateway token; {@code model}
 * names the agent ({@code clawbot/<agentId>}; {@code clawbot} is the default agent). The last user message is sent
 * to that agent's session ({@code user} or header {@code x-clawbot-session-key} picks one; else a new session per
 * request); {@code stream: true} answers with server-sent events in OpenAI's chunk format.
 */
final class OpenAiChatEndpoint {

    private static final int MAX_BODY_BYTES = ProtocolContext.MAX_PAYLOAD_BYTES;
    private static final long RUN_TIMEOUT_MINUTES = 10;
    static final EndpointSwitch SWITCH = new EndpointSwitch("chatCompletions",
            "the OpenAI-compatible endpoints are off; set %s to true in openclaw.json to serve them", OpenAiChatEndpoint::error);

    private final ProtocolContext ctx;
    private final GatewaySettings settings;
    private final Services services;

    OpenAiChatEndpoint(ProtocolContext ctx, GatewaySettings settings, Services services) {
        this.ctx = ctx;
        this.settings = settings;
        this.services = services;
    }

    /** {@code GET /v1/models}: the agents, as OpenAI model objects ({@code clawbot/<agentId>}). */
    void models(ServerRequest req, ServerResponse res) {
        ObjectNode out = Frames.JSON.createObjectNode().put("object", "list");
        var data = out.putArray("data");
        long created = Gateway.startedEpochSeconds();
        for (var a : settings.agents().all()) {
            data.addObject().put("id", "clawbot/" + a.id()).put("object", "model").put("created", created)
                    .put("owned_by", "clawbot");
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(out.toString());
    }

    void handle(ServerRequest req, ServerResponse res) throws IOException {
        if (!ctx.readiness().ready() || services == null) {
            res.header(HeaderNames.RETRY_AFTER, "1");
            error(res, Status.SERVICE_UNAVAILABLE_503, "unavailable", "the gateway is " + ctx.readiness().state().name().toLowerCase());
            return;
        }
        JsonNode body;
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "body_too_large", "the body exceeds " + MAX_BODY_BYTES + " bytes");
                return;
            }
            body = Frames.JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            error(res, Status.BAD_REQUEST_400, "invalid_json", "the body is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (body == null || !body.isObject()) {
            error(res, Status.BAD_REQUEST_400, "invalid_request", "the body must be a JSON object");
            return;
        }
        AgentRegistry agents = settings.agents();
        String model = body.path("model").asText("");
        String agentId;
        if (model.equals("clawbot") || model.equals("openclaw")) {
            agentId = agents.defaultAgent().id();
        } else if (model.startsWith("clawbot/") || model.startsWith("openclaw/")) {
            agentId = model.substring(model.indexOf('/') + 1);
        } else {
            error(res, Status.BAD_REQUEST_400, "model_not_found", "model must be 'clawbot/<agentId>' (agents: "
                    + String.join(", ", agents.all().stream().map(a -> a.id()).toList()) + ")");
            return;
        }
        if (agents.find(agentId).isEmpty()) {
            error(res, Status.NOT_FOUND_404, "model_not_found", "no agent '" + agentId + "'");
            return;
        }
        String message = lastUserMessage(body.get("messages"));
        if (message == null) {
            error(res, Status.BAD_REQUEST_400, "invalid_request", "messages must be an array holding a user message with text content");
            return;
        }
        String session = req.headers().first(HeaderNames.create("x-clawbot-session-key"))
                .or(() -> req.headers().first(HeaderNames.create("x-openclaw-session-key")))
                .orElse(body.path("user").isTextual() ? "openai:" + body.get("user").asText() : "openai:" + UUID.randomUUID());
        String sessionKey;
        try {
            sessionKey = ai.clawbot.host.agents.SessionKeys.ofAgent(session, agentId);
        } catch (IllegalArgumentException e) {
            error(res, Status.BAD_REQUEST_400, "invalid_session_key", e.getMessage() + " (model '" + model + "')");
            return;
        }
        ChatRuns.Started started;
        try {
            if (!(services.runs().send(sessionKey, message, null) instanceof ChatRuns.Started s)) {
                throw new IllegalStateException("a send without idempotency key cannot repeat");
            }
            started = s;
        } catch (ChatException e) {
            Status status = e.kind() == ChatException.Kind.UNAVAILABLE ? Status.SERVICE_UNAVAILABLE_503
                    : e.kind() == ChatException.Kind.NOT_FOUND ? Status.NOT_FOUND_404 : Status.BAD_REQUEST_400;
            error(res, status, e.detailCode().toLowerCase(), e.getMessage());
            return;
        }
        if (body.path("stream").asBoolean(false)) {
            stream(res, started, model);
        } else {
            complete(res, started, model);
        }
    }

    private void complete(ServerResponse res, ChatRuns.Started started, String model) {
        started.start().run();
        ChatRun.Result r;
        try {
            r = started.run().completion().get(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.run().abort();
            return;
        } catch (ExecutionException | TimeoutException e) {
            started.run().abort();
            error(res, Status.GATEWAY_TIMEOUT_504, "timeout", "the agent did not finish in " + RUN_TIMEOUT_MINUTES + " minutes");
            return;
        }
        if ("error".equals(r.status())) {
            error(res, Status.BAD_GATEWAY_502, "agent_error", r.error());
            return;
        }
        ObjectNode out = base(started.run(), model, "chat.completion");
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", r.text());
        choice.put("finish_reason", "stop");
        out.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(out.toString());
    }

    private void stream(ServerResponse res, ChatRuns.Started started, String model) throws IOException {
        ChatRun run = started.run();
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderValues.CACHE_NO_CACHE);
        try (OutputStream out = res.outputStream()) {
            Object lock = new Object();
            ObjectNode first = base(run, model, "chat.completion.chunk");
            first.putArray("choices").addObject().put("index", 0).putObject("delta").put("role", "assistant");
            write(out, first.toString());
            run.onDelta(delta -> {
                ObjectNode chunk = base(run, model, "chat.completion.chunk");
                chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", delta);
                synchronized (lock) {
                    try {
                        write(out, chunk.toString());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e); // the run aborts: its reader left
                    }
                }
            });
            started.start().run();
            ChatRun.Result r;
            try {
                r = run.completion().get(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                run.abort();
                return;
            }
            synchronized (lock) {
                ObjectNode last = base(run, model, "chat.completion.chunk");
                ObjectNode choice = last.putArray("choices").addObject().put("index", 0);
                choice.putObject("delta");
                choice.put("finish_reason", "error".equals(r.status()) ? "error" : "stop");
                write(out, last.toString());
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static void write(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode base(ChatRun run, String model, String object) {
        return Frames.JSON.createObjectNode().put("id", "chatcmpl-" + run.runId()).put("object", object)
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
    }

    /** The text of the last user message; OpenAI content is a string or an array of parts. */
    static String lastUserMessage(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return null;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"user".equals(m.path("role").asText())) {
                continue;
            }
            JsonNode c = m.get("content");
            if (c != null && c.isTextual()) {
                return c.asText().isBlank() ? null : c.asText();
            }
            if (c != null && c.isArray()) {
                StringBuilder b = new StringBuilder();
                c.forEach(part -> {
                    if ("text".equals(part.path("type").asText())) {
                        b.append(part.path("text").asText());
                    }
                });
                return b.isEmpty() ? null : b.toString();
            }
            return null;
        }
        return null;
    }

    static void error(ServerResponse res, Status status, String code, String message) {
        ObjectNode e = Frames.JSON.createObjectNode();
        e.putObject("error").put("message", message).put("type", status.code() >= 500 ? "server_error" : "invalid_request_error")
                .put("code", code);
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(e.toString());
    }
}

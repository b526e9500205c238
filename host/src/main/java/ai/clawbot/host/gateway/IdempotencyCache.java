package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * De-duplicates side-effecting requests by {@code idempotencyKey} (OpenClaw: a short-lived cache). The first
 * request with a key runs; a repeat while it runs gets {@code {status:"in_flight"}}; a repeat after it succeeded
 * gets the same payload again. A failed request is forgotten, so a retry with the same key runs again. A key
 * reused with different params is refused: that is a client bug, and replaying would hide it.
 */
final class IdempotencyCache {

    static final int MAX_KEY_LENGTH = 200;

    private final int capacity;
    private final long ttlMs;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        final String paramsDigest;
        final long createdMs;
        Object payload;
        boolean done;

        Entry(String paramsDigest, long createdMs) {
            this.paramsDigest = paramsDigest;
            this.createdMs = createdMs;
        }
    }

    IdempotencyCache(int capacity, Duration ttl, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlMs = ttl.toMillis();
        this.clock = clock;
    }

    static IdempotencyCache create() {
        return new IdempotencyCache(10_000, Duration.ofMinutes(5), System::currentTimeMillis);
    }

    /** The key of a request, or null when it carries none; a malformed key is a typed error. */
    static String keyOf(JsonNode params) throws GatewayException {
        JsonNode k = params.get("idempotencyKey");
        if (k == null || k.isNull()) {
            return null;
        }
        if (!k.isTextual() || k.asText().isEmpty() || k.asText().length() > MAX_KEY_LENGTH) {
            throw new GatewayException(ErrorShape.of("INVALID_REQUEST",
                    "idempotencyKey must be a string of 1-" + MAX_KEY_LENGTH + " characters",
                    GatewaySocket.details("INVALID_PARAMS").put("field", "idempotencyKey")));
        }
        return k.asText();
    }

    /** Runs {@code body} once per (method, key). */
    Object run(String method, String key, JsonNode params, ClientMethod body, MethodCall call) throws GatewayException {
        String id = method + "\u0000" + key;
        ObjectNode withoutKey = params.deepCopy();
        withoutKey.remove("idempotencyKey");
        String digest = withoutKey.toString();
        Entry mine;
        synchronized (entries) {
            expire();
            Entry existing = entries.get(id);
            if (existing != null) {
                if (!existing.paramsDigest.equals(digest)) {
                    throw new GatewayException(ErrorShape.of("INVALID_REQUEST",
                            "idempotencyKey '" + shown(key) + "' was already used for a different " + method + " request",
                            GatewaySocket.details("IDEMPOTENCY_KEY_REUSED")));
                }
                if (!existing.done) {
                    return Frames.JSON.createObjectNode().put("status", "in_flight");
                }
                return existing.payload;
            }
            mine = new Entry(digest, clock.getAsLong());
            entries.put(id, mine);
        }
        try {
            Object payload = body.handle(call);
            synchronized (entries) {
                mine.payload = payload;
                mine.done = true;
            }
            return payload;
        } catch (GatewayException | RuntimeException e) {
            synchronized (entries) {
                entries.remove(id, mine);
            }
            throw e;
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void expire() {
        long now = clock.getAsLong();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Entry e = it.next().getValue();
            // Oldest first: stop at the first live entry, unless over capacity (then drop the oldest finished).
            if (now - e.createdMs > ttlMs || entries.size() > capacity && e.done) {
                it.remove();
            } else if (entries.size() <= capacity) {
                break;
            }
        }
    }

    private static String shown(String key) {
        return Objects.requireNonNullElse(key, "").length() > 40 ? key.substring(0, 40) + "…" : key;
    }
}

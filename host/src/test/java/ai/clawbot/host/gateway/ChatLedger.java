package ai.clawbot.host.gateway;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test helper for {@link ChatCrashTest}: every message a client ever sent, by idempotencyKey, with the gateway
 * lifetimes ("rounds") that may have received it and the one whose acknowledgement came back. Texts embed the
 * key, so a text is unique and names its message.
 */
final class ChatLedger {

    /** One message; {@code worker} -1 for messages only the verifying client sent. */
    static final class Msg {
        final String key;
        final String text;
        final String sessionKey;
        final String canonicalKey;
        final int originRound;
        final int worker;
        final int n;
        /** Lifetimes in which a send of this key may have reached the gateway (added before each send). */
        final Set<Integer> sentIn = ConcurrentHashMap.newKeySet();
        volatile int ackedIn = -1;
        volatile String messageId;

        Msg(String key, String text, String sessionKey, String canonicalKey, int originRound, int worker, int n) {
            this.key = key;
            this.text = text;
            this.sessionKey = sessionKey;
            this.canonicalKey = canonicalKey;
            this.originRound = originRound;
            this.worker = worker;
            this.n = n;
        }

        boolean acked() {
            return ackedIn >= 0;
        }
    }

    private final Map<String, Msg> byKey = new ConcurrentHashMap<>();

    /** A new message; its text is unique, ends in {@code padding} filler characters, and has a non-ASCII one. */
    Msg create(int round, int worker, int n, String sessionKey, String canonicalKey, int padding) {
        String key = "ck-r" + round + "-w" + worker + "-n" + n;
        String text = "crash message " + key + " to " + canonicalKey + " \u00e9" + "x".repeat(padding);
        Msg m = new Msg(key, text, sessionKey, canonicalKey, round, worker, n);
        if (byKey.putIfAbsent(key, m) != null) {
            throw new IllegalStateException("key reused: " + key);
        }
        return m;
    }

    Msg get(String key) {
        return byKey.get(key);
    }

    Collection<Msg> all() {
        return byKey.values();
    }

    List<Msg> acked() {
        return byKey.values().stream().filter(Msg::acked).toList();
    }

    /** Sent in {@code round} without an acknowledgement: the outcome a kill left unknown. */
    List<Msg> unknownAfter(int round) {
        return byKey.values().stream().filter(m -> !m.acked() && m.sentIn.contains(round)).toList();
    }
}

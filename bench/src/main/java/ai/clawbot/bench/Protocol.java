package ai.clawbot.bench;

import java.io.IOException;

/**
 * The few gateway-protocol frames the bench speaks, and a cheap reading of replies (string scanning, not
 * a JSON parser: at tens of thousands of frames a second the client's CPU is taken from the server's, as
 * both share the machine). Frames the scan does not recognise count as errors, so it cannot hide one.
 */
final class Protocol {

    /** What a reply frame was: an event (skip), or the response to {@code id}, ok or not (id -1: no id). */
    record Reply(boolean event, long id, boolean ok) {
    }

    private static final Reply EVENT = new Reply(true, -1, true);

    private Protocol() {
    }

    static String connect(String token) {
        return "{\"type\":\"req\",\"id\":\"1\",\"method\":\"connect\",\"params\":{\"minProtocol\":4,\"maxProtocol\":4,"
                + "\"client\":{\"id\":\"bench\",\"mode\":\"cli\",\"version\":\"0\",\"platform\":\"linux\"},"
                + "\"role\":\"operator\",\"scopes\":[\"operator.read\"],\"auth\":{\"token\":\"" + token + "\"}}}";
    }

    static String health(long id) {
        return "{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"health\"}";
    }

    /**
     * Classifies a reply. The gateway answers {@code {"type":"res","id":"N","ok":true,...}} (Jackson keeps
     * insertion order); the baseline echo server returns the request itself ({@code "type":"req"}), which
     * counts as ok. Anything else with an id is a failed response; without one, a failure too.
     */
    static Reply read(String frame) {
        if (frame.startsWith("{\"type\":\"event\"")) {
            return EVENT;
        }
        boolean echo = frame.startsWith("{\"type\":\"req\"");
        if (!echo && !frame.startsWith("{\"type\":\"res\"")) {
            return new Reply(false, -1, false);
        }
        int at = frame.indexOf("\"id\":\"");
        if (at < 0) {
            return new Reply(false, -1, false);
        }
        long id = 0;
        int i = at + 6;
        for (; i < frame.length() && Character.isDigit(frame.charAt(i)); i++) {
            id = id * 10 + (frame.charAt(i) - '0');
        }
        if (i == at + 6 || i >= frame.length() || frame.charAt(i) != '"') {
            return new Reply(false, -1, false);
        }
        return new Reply(false, id, echo || frame.startsWith(",\"ok\":true", i + 1));
    }

    /**
     * Reads the challenge, sends {@code connect}, reads its answer. Returns nanos [to challenge, to hello]
     * from {@code t0}; throws when the server refuses.
     */
    static long[] handshake(WsConn c, String token, long t0) throws IOException {
        String first = c.read();
        if (!first.contains("\"event\":\"connect.challenge\"")) {
            throw new IOException("expected connect.challenge first, got " + first);
        }
        long challenge = System.nanoTime() - t0;
        c.send(connect(token));
        while (true) {
            String f = c.read();
            Reply r = read(f);
            if (r.event()) {
                continue;
            }
            if (r.id() != 1 || !r.ok() || !(f.contains("\"hello-ok\"") || f.startsWith("{\"type\":\"req\""))) {
                throw new IOException("connect refused: " + f);
            }
            return new long[] {challenge, System.nanoTime() - t0};
        }
    }
}

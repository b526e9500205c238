package ai.clawbot.bench;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The baseline server: Helidon SE 4 as the gateway configures it (same version, loopback, same WebSocket
 * frame limit) with none of the gateway: {@code GET /healthz} answers the same body ({@code /readyz} too, as
 * there is nothing to load), and the WebSocket on
 * {@code /} sends a challenge-shaped event on open and echoes every text frame as it arrives (on Helidon's
 * connection thread). A client matching responses by id takes an echoed request for its response, so the
 * same client code runs against both; the difference is the gateway's own work (JSON parsing, auth,
 * dispatch to a virtual thread, the method, serialising the answer).
 * {@code java -cp bench.jar:lib/* ai.clawbot.bench.BareServer PORT}
 */
public final class BareServer {

    private static final String CHALLENGE = "{\"type\":\"event\",\"event\":\"connect.challenge\",\"payload\":"
            + "{\"nonce\":\"00112233445566778899aabbccddeeff\",\"ts\":0},\"seq\":1}";

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r.get("/healthz", (req, res) -> {
                    res.header(HeaderValues.CONTENT_TYPE_JSON);
                    res.send("{\"ok\":true,\"status\":\"live\"}");
                }).get("/readyz", (req, res) -> { // nothing to load: ready as soon as it listens
                    res.header(HeaderValues.CONTENT_TYPE_JSON);
                    res.send("{\"ready\":true,\"status\":\"ready\"}");
                }))
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(4 * 1024 * 1024).build())
                .addRouting(WsRouting.builder().endpoint("/", Echo::new))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("bare server listening on " + server.port());
        Thread.currentThread().join();
    }

    private static final class Echo implements WsListener {
        @Override
        public void onOpen(WsSession session) {
            session.send(CHALLENGE, true);
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            session.send(text, last);
        }
    }
}

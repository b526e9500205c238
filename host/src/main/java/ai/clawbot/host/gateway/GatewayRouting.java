package ai.clawbot.host.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The gateway's plain HTTP routes on the WebSocket port. Static so tests can mount them alone. */
public final class GatewayRouting {

    private static final byte[] INDEX = resource("/web/index.html");

    private GatewayRouting() {
    }

    /** Liveness and the Control UI: what needs nothing but the process. */
    public static void routing(HttpRouting.Builder routing) {
        routing.get("/healthz", (req, res) -> {
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.send("{\"ok\":true,\"status\":\"live\"}");
        });
        routing.get("/", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
            res.header(HeaderNames.create("Content-Security-Policy"), "default-src 'self'; connect-src 'self'; frame-ancestors 'none'");
            res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
            res.header(HeaderNames.create("X-Frame-Options"), "DENY");
            res.send(INDEX);
        });
    }

    /** Everything: the routes above plus readiness, metrics and the OpenAI-compatible endpoint. */
    static void routing(HttpRouting.Builder routing, HttpEndpoints http) {
        routing(routing);
        http.routing(routing);
    }

    private static byte[] resource(String path) {
        try (InputStream in = GatewayRouting.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " missing from the host jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

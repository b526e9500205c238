package ai.clawbot.host.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gateway's plain HTTP routes on the WebSocket port. Static so tests can mount them alone. */
public final class GatewayRouting {

    /**
     * The Control UI's policy: only this origin's own files run, no inline script or style, WebSocket back to
     * this origin only, never framed (clickjacking of the approve button), no forms posting anywhere.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** A file of the Control UI, read once from the jar; its ETag lets a browser revalidate cheaply. */
    record Asset(String path, String contentType, byte[] body, String etag) {
    }

    /** The UI's files: a fixed list (no path from a request reaches the class loader). */
    static final Map<String, Asset> ASSETS = assets(List.of(
            "index.html", "app.css", "app.js", "dom.js", "gateway.js", "chat.js", "transcript.js", "sessions.js", "agents.js",
            "skills.js", "registry.js", "settings-form.js", "approvals.js", "logs.js", "config.js", "security.js", "voice.js"));

    private GatewayRouting() {
    }

    /** Liveness and the Control UI: what needs nothing but the process. */
    public static void routing(HttpRouting.Builder routing) {
        routing.get("/healthz", (req, res) -> {
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.send("{\"ok\":true,\"status\":\"live\"}");
        });
        for (Asset a : ASSETS.values()) {
            routing.get(a.path(), (req, res) -> serve(a, req, res));
        }
    }

    /** Everything: the routes above plus readiness, metrics and the OpenAI-compatible endpoint. */
    static void routing(HttpRouting.Builder routing, HttpEndpoints http) {
        routing(routing);
        http.routing(routing);
        // Last: any other GET is a plain 404 that still carries the UI's headers (nothing there to sniff or frame).
        routing.get("/*", GatewayRouting::notFound);
    }

    private static void serve(Asset a, ServerRequest req, ServerResponse res) {
        securityHeaders(res);
        // Not fingerprinted: a browser revalidates every time, so a new gateway build is never mixed with old files.
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.ETAG, a.etag());
        boolean fresh = req.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(v -> List.of(v.split("\\s*,\\s*")).contains(a.etag())).orElse(false);
        if (fresh) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, a.contentType());
        res.send(a.body());
    }

    private static void notFound(ServerRequest req, ServerResponse res) {
        securityHeaders(res);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.status(Status.NOT_FOUND_404).send("not found\n");
    }

    static void securityHeaders(ServerResponse res) {
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.create("X-Frame-Options"), "DENY");
        res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    }

    private static Map<String, Asset> assets(List<String> files) {
        Map<String, Asset> out = new LinkedHashMap<>();
        for (String f : files) {
            String path = f.equals("index.html") ? "/" : "/" + f;
            byte[] body = resource("/web/" + f);
            out.put(path, new Asset(path, contentType(f), body, etag(body)));
        }
        return Map.copyOf(out);
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        throw new IllegalStateException("no content type for " + file);
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

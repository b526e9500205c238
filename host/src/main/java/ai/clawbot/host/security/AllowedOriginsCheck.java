package ai.clawbot.host.security;

import ai.clawbot.host.gateway.auth.OriginCheck;
import ai.clawbot.host.gateway.auth.OriginPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code gateway.controlUi.allowedOrigins} wider than needed: {@code *} (or {@code null}), or a plain-http origin
 * that is not loopback (anyone on the network path can alter that page, and the page may open the gateway's socket).
 */
record AllowedOriginsCheck() implements AuditCheck {

    static final String WILDCARD = "gateway.control_ui.allowed_origins_wildcard";
    static final String PLAIN_HTTP = "gateway.control_ui.allowed_origins_plain_http";
    static final String MALFORMED = "gateway.control_ui.allowed_origins_invalid";

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        for (JsonNode n : c.config().path("gateway").path("controlUi").path("allowedOrigins")) {
            String entry = n.asText().strip();
            if (entry.equals("*") || entry.equals("null")) {
                out.add(Finding.critical(WILDCARD, "allowedOrigins contains '" + entry + "'",
                        "every web page the operator visits could open the gateway's WebSocket (cross-site WebSocket hijacking)",
                        "list each origin you serve the Control UI from (scheme://host[:port]) instead of '" + entry + "'"));
                continue;
            }
            String origin;
            try {
                origin = OriginPolicy.create(List.of(entry)).allowedOrigins().get(0);
            } catch (IllegalArgumentException e) {
                out.add(Finding.warn(MALFORMED, "allowedOrigins has an entry that is not an origin", e.getMessage(),
                        "remove or correct it: scheme://host[:port]"));
                continue;
            }
            boolean loopback = OriginPolicy.create(List.of()).check(origin, null) instanceof OriginCheck.Allowed a
                    && a.basis() == OriginCheck.Basis.LOOPBACK;
            if (origin.toLowerCase(Locale.ROOT).startsWith("http://") && !loopback) {
                out.add(Finding.warn(PLAIN_HTTP, "allowedOrigins contains plain-http origin " + origin,
                        "a page served over http from another host can be altered by anyone on the network path, and it"
                                + " may open the gateway's socket",
                        "serve the Control UI over https and allow https://" + origin.substring("http://".length())
                                + ", or reach it as http://127.0.0.1 through an SSH tunnel"));
            }
        }
        return out;
    }
}

package ai.clawbot.host.gateway;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Supplier;

/**
 * The switch of an HTTP endpoint that is off unless {@code openclaw.json} turns it on
 * ({@code gateway.http.endpoints.<name>.enabled}). Off, the endpoint answers 404 to everyone, token or not, in its own
 * error format: the switch is routed in front of the token check, so an endpoint that is off neither counts a login
 * attempt nor tells a caller whether its token was right.
 *
 * @param name    the endpoint's key under {@code gateway.http.endpoints}
 * @param offText the 404's message, with {@code %s} where the key to set goes
 * @param refusal how the endpoint words an error
 */
record EndpointSwitch(String name, String offText, HttpEndpoints.Refusal refusal) {

    /** The key that switches the endpoint on: {@code gateway.http.endpoints.<name>.enabled}. */
    String key() {
        return "gateway.http.endpoints." + name + ".enabled";
    }

    /** Routes {@code paths} through the switch: on, to the next handler; off, the 404. Route it before the token check. */
    void guard(HttpRouting.Builder routing, Supplier<GatewaySettings> settings, String... paths) {
        for (String path : paths) {
            routing.any(path, (req, res) -> {
                if (admits(settings.get(), res)) {
                    res.next();
                }
            });
        }
    }

    /** True when the endpoint is on; when it is off, the 404 has been sent. */
    private boolean admits(GatewaySettings settings, ServerResponse res) {
        if (settings.endpointEnabled(name)) {
            return true;
        }
        refusal.send(res, Status.NOT_FOUND_404, "endpoint_disabled", offText.formatted(key()));
        return false;
    }
}

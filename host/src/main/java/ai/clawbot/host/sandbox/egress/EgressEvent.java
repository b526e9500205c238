package ai.clawbot.host.sandbox.egress;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One decision of the proxy about one request, for audit.
 *
 * @param time   when the decision was made
 * @param client the connecting peer (a sandbox container)
 * @param method {@code CONNECT} for a tunnel, else the HTTP method of a plain request
 * @param host   the requested host, lowercased
 * @param port   the requested port
 * @param reason why it was allowed or refused
 * @param detail extra facts for the reason (e.g. the internal address a name resolved to); may be empty
 * @param grant  the operator grant that allowed it (e.g. {@code plugins.entries.web.config.sites}); null otherwise
 */
public record EgressEvent(Instant time, InetSocketAddress client, String method, String host, int port,
        Reason reason, String detail, String grant) {

    public EgressEvent(Instant time, InetSocketAddress client, String method, String host, int port, Reason reason,
                       String detail) {
        this(time, client, method, host, port, reason, detail, null);
    }

    /** Why a request was allowed or refused. */
    public enum Reason {
        ALLOWED("allowed"),
        NOT_ON_ALLOWLIST("not on the allowlist"),
        IP_LITERAL("IP literal not on the allowlist"),
        INTERNAL_ADDRESS("resolves to a loopback, private or other non-public address"),
        UNRESOLVABLE("could not be resolved");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** A short phrase for logs and error bodies. */
        public String text() {
            return text;
        }
    }

    public boolean refused() {
        return reason != Reason.ALLOWED;
    }

    public HostPort target() {
        return new HostPort(host, port);
    }
}

package ai.clawbot.host.sandbox.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns an allowlisted host name into the addresses the proxy will connect to. The proxy connects only to
 * the addresses returned here (it never resolves the name again), so what is checked is what is used.
 *
 * <p><b>Trust.</b> A resolver is {@link #trusted() trusted} unless it says otherwise: its answers are used
 * as they are, even loopback or private addresses. Only the {@link #system() system resolver} is untrusted,
 * because DNS is controlled by whoever owns the zone: an allowlisted {@code api.example.com} could be made
 * to resolve to {@code 127.0.0.1} or the Docker bridge (DNS rebinding). Answers of an untrusted resolver
 * that include any loopback, link-local, private or otherwise non-public address are refused. Tests use a
 * trusted resolver to map names such as {@code allowed.test} to {@code 127.0.0.1}.
 */
@FunctionalInterface
public interface Resolver {

    /** The addresses for a host name (never an IP literal: literals are used as they are). */
    InetAddress[] resolve(String host) throws UnknownHostException;

    /** Whether this resolver's answers may be internal addresses; see the class comment. */
    default boolean trusted() {
        return true;
    }

    /** The JDK's resolver (the OS's, through {@link InetAddress#getAllByName}); untrusted. */
    static Resolver system() {
        return SystemResolver.INSTANCE;
    }

    /** The one untrusted resolver. */
    enum SystemResolver implements Resolver {
        INSTANCE;

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return InetAddress.getAllByName(host);
        }

        @Override
        public boolean trusted() {
            return false;
        }
    }
}

package ai.clawbot.host.sandbox.egress;

import ai.clawbot.host.sandbox.egress.EgressEvent.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a destination may be reached, and at which addresses. The allowlist is exact: same host
 * (case-insensitive), same port; no wildcards, no suffix matching.
 */
final class EgressPolicy {

    private final Set<HostPort> allow;
    private final Resolver resolver;

    EgressPolicy(Collection<HostPort> allow, Resolver resolver) {
        this.allow = Set.copyOf(allow);
        this.resolver = resolver;
    }

    Set<HostPort> allowlist() {
        return allow;
    }

    /** The decision for one destination. */
    sealed interface Decision {

        HostPort target();

        /** Connect to these addresses, in order, and to no other. */
        record Allowed(HostPort target, List<InetAddress> addresses) implements Decision {
        }

        /** Refuse with this HTTP status; {@code detail} may be empty. */
        record Refused(HostPort target, Reason reason, String detail, int status) implements Decision {
        }
    }

    Decision decide(HostPort target) {
        if (!allow.contains(target)) {
            return new Decision.Refused(target, target.isIpLiteral() ? Reason.IP_LITERAL : Reason.NOT_ON_ALLOWLIST, "", 403);
        }
        if (target.isIpLiteral()) {
            // The operator wrote this exact address; it is used as it is, internal or not, with no DNS.
            try {
                return new Decision.Allowed(target, List.of(InetAddress.getByAddress(target.host(), target.literalBytes())));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes always make an address
            }
        }
        InetAddress[] found;
        try {
            found = resolver.resolve(target.host());
        } catch (UnknownHostException e) {
            return new Decision.Refused(target, Reason.UNRESOLVABLE, String.valueOf(e.getMessage()), 502);
        } catch (RuntimeException e) {
            return new Decision.Refused(target, Reason.UNRESOLVABLE, e.toString(), 502);
        }
        List<InetAddress> addresses = found == null ? List.of() : Arrays.stream(found).filter(Objects::nonNull).toList();
        if (addresses.isEmpty()) {
            return new Decision.Refused(target, Reason.UNRESOLVABLE, "no addresses", 502);
        }
        if (!resolver.trusted()) {
            // Refuse when any answer is internal, not just skip those: a mixed answer is itself a sign of rebinding.
            List<InetAddress> internal = addresses.stream().filter(InternalAddresses::isInternal).toList();
            if (!internal.isEmpty()) {
                return new Decision.Refused(target, Reason.INTERNAL_ADDRESS,
                        internal.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")), 403);
            }
        }
        return new Decision.Allowed(target, addresses);
    }
}

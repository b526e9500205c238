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
    private final List<EgressGrant> grants;
    private final Resolver resolver;

    EgressPolicy(Collection<HostPort> allow, Resolver resolver) {
        this(allow, List.of(), resolver);
    }

    EgressPolicy(Collection<HostPort> allow, Collection<EgressGrant> grants, Resolver resolver) {
        this.allow = Set.copyOf(allow);
        this.grants = List.copyOf(grants);
        this.resolver = resolver;
    }

    List<EgressGrant> grants() {
        return grants;
    }

    Set<HostPort> allowlist() {
        return allow;
    }

    /** The decision for one destination. */
    sealed interface Decision {

        HostPort target();

        /** Connect to these addresses, in order, and to no other; {@code grant} names the operator's grant, or null. */
        record Allowed(HostPort target, List<InetAddress> addresses, String grant) implements Decision {
            Allowed(HostPort target, List<InetAddress> addresses) {
                this(target, addresses, null);
            }
        }

        /** Refuse with this HTTP status; {@code detail} may be empty. */
        record Refused(HostPort target, Reason reason, String detail, int status) implements Decision {
        }
    }

    Decision decide(HostPort target) {
        if (!allow.contains(target)) {
            // An exact grant before an any-host one: the operator's IP literal or allowPrivate applies to it.
            EgressGrant grant = grants.stream().filter(g -> !g.anyHost() && g.covers(target)).findFirst()
                    .or(() -> grants.stream().filter(g -> g.anyHost() && g.covers(target)).findFirst()).orElse(null);
            if (grant == null) {
                return new Decision.Refused(target, target.isIpLiteral() ? Reason.IP_LITERAL : Reason.NOT_ON_ALLOWLIST, "", 403);
            }
            return granted(target, grant);
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

    /**
     * A destination an operator granted: an IP literal they wrote is used as written; a name (or any host, for an
     * any-host grant) must resolve to public addresses only, unless the grant has {@code allowPrivate}.
     */
    private Decision granted(HostPort target, EgressGrant grant) {
        boolean checkInternal = grant.anyHost() || !grant.allowPrivate();
        List<InetAddress> addresses;
        if (target.isIpLiteral()) {
            try {
                addresses = List.of(InetAddress.getByAddress(target.host(), target.literalBytes()));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            checkInternal = grant.anyHost();
        } else {
            InetAddress[] found;
            try {
                found = resolver.resolve(target.host());
            } catch (UnknownHostException e) {
                return new Decision.Refused(target, Reason.UNRESOLVABLE, String.valueOf(e.getMessage()), 502);
            } catch (RuntimeException e) {
                return new Decision.Refused(target, Reason.UNRESOLVABLE, e.toString(), 502);
            }
            addresses = found == null ? List.of() : Arrays.stream(found).filter(Objects::nonNull).toList();
            if (addresses.isEmpty()) {
                return new Decision.Refused(target, Reason.UNRESOLVABLE, "no addresses", 502);
            }
        }
        if (checkInternal) {
            // Here a trusted (test) resolver is no excuse: the grant's own rule decides.
            List<InetAddress> internal = addresses.stream().filter(InternalAddresses::isInternal).toList();
            if (!internal.isEmpty()) {
                return new Decision.Refused(target, Reason.INTERNAL_ADDRESS,
                        internal.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "))
                                + " (grant " + grant.name() + "; set allowPrivate on it to allow)", 403);
            }
        }
        return new Decision.Allowed(target, addresses, grant.name());
    }
}

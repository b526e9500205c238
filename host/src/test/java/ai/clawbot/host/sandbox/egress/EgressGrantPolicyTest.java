package ai.clawbot.host.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.sandbox.egress.EgressEvent.Reason;
import ai.clawbot.host.sandbox.egress.EgressPolicy.Decision;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operator grants in the proxy's policy: a granted name must resolve to public addresses unless the grant has
 * allowPrivate (even with a resolver trusted for static entries); an IP literal the operator wrote is used as
 * written; an any-host grant never reaches an internal address, literal or not; the decision names the grant.
 */
class EgressGrantPolicyTest {

    private static final String SITES = "plugins.entries.web.config.sites";

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A trusted resolver (as tests configure): for grants, its internal answers are still refused. */
    private static Resolver answering(String address) {
        return host -> new InetAddress[] {ip(address)};
    }

    private static EgressPolicy granting(Resolver r, EgressGrant... grants) {
        return new EgressPolicy(List.of(), List.of(grants), r);
    }

    @Test
    void aGrantedNameResolvingToLoopbackIsRefusedWithoutAllowPrivateAndAllowedWithIt() {
        HostPort target = HostPort.parse("mail.example.com:993");
        Decision refused = granting(answering("127.0.0.1"), new EgressGrant("mail.example.com", 993, SITES, false)).decide(target);
        assertThat(refused).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) refused).reason()).isEqualTo(Reason.INTERNAL_ADDRESS);
        assertThat(((Decision.Refused) refused).detail()).contains("127.0.0.1").contains(SITES).contains("allowPrivate");

        Decision allowed = granting(answering("127.0.0.1"), new EgressGrant("mail.example.com", 993, SITES, true)).decide(target);
        assertThat(allowed).isEqualTo(new Decision.Allowed(target, List.of(ip("127.0.0.1")), SITES));
    }

    @Test
    void anIpLiteralTheOperatorWroteIsUsedAsWrittenButOnlyOnItsPort() {
        EgressPolicy p = granting(host -> {
            throw new AssertionError("a literal is never resolved");
        }, new EgressGrant("127.0.0.1", 8080, SITES, false));
        assertThat(p.decide(HostPort.parse("127.0.0.1:8080"))).isEqualTo(
                new Decision.Allowed(HostPort.parse("127.0.0.1:8080"), List.of(ip("127.0.0.1")), SITES));
        assertThat(p.decide(HostPort.parse("127.0.0.1:8081"))).isInstanceOf(Decision.Refused.class);
        assertThat(p.decide(HostPort.parse("127.0.0.2:8080"))).isInstanceOf(Decision.Refused.class);
    }

    @Test
    void anyPublicHostOnAPortNeverLeadsToAnInternalAddress() {
        EgressGrant any = new EgressGrant("*", 443, SITES, true); // allowPrivate cannot widen "any host"
        assertThat(granting(answering("93.184.216.34"), any).decide(HostPort.parse("docs.example.com:443")))
                .isInstanceOf(Decision.Allowed.class).extracting(d -> ((Decision.Allowed) d).grant()).isEqualTo(SITES);
        assertThat(granting(answering("10.0.0.5"), any).decide(HostPort.parse("intranet.example.com:443")))
                .extracting(d -> ((Decision.Refused) d).reason()).isEqualTo(Reason.INTERNAL_ADDRESS);
        assertThat(granting(answering("93.184.216.34"), any).decide(HostPort.parse("169.254.169.254:443")))
                .extracting(d -> ((Decision.Refused) d).reason()).isEqualTo(Reason.INTERNAL_ADDRESS);
        assertThat(granting(answering("93.184.216.34"), any).decide(HostPort.parse("docs.example.com:80")))
                .extracting(d -> ((Decision.Refused) d).reason()).isEqualTo(Reason.NOT_ON_ALLOWLIST);
    }

    @Test
    void theStaticAllowlistIsNotNamedAsAGrant() {
        EgressPolicy p = new EgressPolicy(List.of(HostPort.parse("api.example.com:443")),
                List.of(new EgressGrant("*", 443, SITES, false)), answering("93.184.216.34"));
        assertThat(((Decision.Allowed) p.decide(HostPort.parse("api.example.com:443"))).grant()).isNull();
        assertThat(((Decision.Allowed) p.decide(HostPort.parse("other.example.com:443"))).grant()).isEqualTo(SITES);
    }

    @Test
    void aGrantIsAValidHostAndPort() {
        assertThatThrownBy(() -> new EgressGrant("bad host", 443, SITES, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EgressGrant("*", 0, SITES, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new EgressGrant("Mail.Example.COM", 993, SITES, false).toString()).isEqualTo("mail.example.com:993");
    }
}

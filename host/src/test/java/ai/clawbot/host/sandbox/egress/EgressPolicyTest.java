package ai.clawbot.host.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.sandbox.egress.EgressEvent.Reason;
import ai.clawbot.host.sandbox.egress.EgressPolicy.Decision;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allowlist decisions without any network: resolvers here are in-memory. */
class EgressPolicyTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Answers fixed addresses and, like the system resolver, is not trusted with internal ones. */
    private static Resolver untrusted(String... addresses) {
        return new Resolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return java.util.Arrays.stream(addresses).map(EgressPolicyTest::ip).toArray(InetAddress[]::new);
            }

            @Override
            public boolean trusted() {
                return false;
            }
        };
    }

    private static final Resolver NEVER = host -> {
        throw new AssertionError("the resolver must not be asked about " + host);
    };

    @Test
    void onlyExactHostAndPortPairsAreAllowedAndNothingOffTheListIsResolved() {
        EgressPolicy p = new EgressPolicy(List.of(HostPort.parse("API.example.com:443")), NEVER);
        assertThat(p.decide(HostPort.parse("api.example.com:80"))).isInstanceOf(Decision.Refused.class)
                .extracting(d -> ((Decision.Refused) d).reason()).isEqualTo(Reason.NOT_ON_ALLOWLIST);
        assertThat(p.decide(HostPort.parse("x.api.example.com:443"))).isInstanceOf(Decision.Refused.class);
        assertThat(p.decide(HostPort.parse("example.com:443"))).isInstanceOf(Decision.Refused.class);
        assertThat(p.decide(HostPort.parse("192.0.2.7:443"))).extracting(d -> ((Decision.Refused) d).reason())
                .isEqualTo(Reason.IP_LITERAL);
    }

    @Test
    void anUntrustedResolversPublicAnswerIsUsedAsIs() {
        EgressPolicy p = new EgressPolicy(List.of(HostPort.parse("api.example.com:443")), untrusted("93.184.216.34"));
        assertThat(p.decide(HostPort.parse("Api.Example.com:443"))).isEqualTo(
                new Decision.Allowed(HostPort.parse("api.example.com:443"), List.of(ip("93.184.216.34"))));
    }

    @Test
    void anUntrustedAnswerWithAnyInternalAddressIsRefused() {
        EgressPolicy p = new EgressPolicy(List.of(HostPort.parse("api.example.com:443")),
                untrusted("93.184.216.34", "169.254.169.254"));
        Decision d = p.decide(HostPort.parse("api.example.com:443"));
        assertThat(d).isInstanceOf(Decision.Refused.class);
        Decision.Refused r = (Decision.Refused) d;
        assertThat(r.reason()).isEqualTo(Reason.INTERNAL_ADDRESS);
        assertThat(r.detail()).isEqualTo("169.254.169.254");
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void aTrustedResolverMayAnswerLoopback() {
        Resolver trusted = host -> new InetAddress[] {ip("127.0.0.1")};
        EgressPolicy p = new EgressPolicy(List.of(HostPort.parse("allowed.test:8080")), trusted);
        assertThat(p.decide(HostPort.parse("allowed.test:8080"))).isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void anAllowlistedLiteralIsUsedWithoutAskingTheResolverEvenIfInternal() {
        EgressPolicy p = new EgressPolicy(List.of(HostPort.parse("10.1.2.3:5432")), NEVER);
        assertThat(p.decide(HostPort.parse("10.1.2.3:5432"))).isInstanceOf(Decision.Allowed.class)
                .extracting(d -> ((Decision.Allowed) d).addresses()).isEqualTo(List.of(ip("10.1.2.3")));
    }

    @Test
    void anEmptyOrFailedAnswerIsUnresolvable() {
        EgressPolicy empty = new EgressPolicy(List.of(HostPort.parse("a.test:1")), host -> new InetAddress[0]);
        EgressPolicy failed = new EgressPolicy(List.of(HostPort.parse("a.test:1")), host -> {
            throw new UnknownHostException(host);
        });
        for (EgressPolicy p : List.of(empty, failed)) {
            Decision.Refused r = (Decision.Refused) p.decide(HostPort.parse("a.test:1"));
            assertThat(r.reason()).isEqualTo(Reason.UNRESOLVABLE);
            assertThat(r.status()).isEqualTo(502);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, true", "127.8.9.10, true", "0.0.0.0, true", "10.0.0.1, true", "172.16.0.1, true",
            "172.31.255.255, true", "172.32.0.1, false", "192.168.1.1, true", "169.254.169.254, true",
            "100.64.0.1, true", "100.128.0.1, false", "224.0.0.1, true", "255.255.255.255, true",
            "198.18.0.1, true", "192.0.2.1, true", "8.8.8.8, false", "93.184.216.34, false",
            "::1, true", "::, true", "fe80::1, true", "fd00::1, true", "fc00::1, true", "ff02::1, true",
            "::ffff:127.0.0.1, true", "::ffff:10.0.0.1, true", "64:ff9b::a00:1, true", "64:ff9b::808:808, false",
            "2002:c0a8:101::1, true", "2002:808:808::1, false", "2001:4860:4860::8888, false",
    })
    void internalAddressesAreRecognised(String address, boolean internal) {
        assertThat(InternalAddresses.isInternal(ip(address))).isEqualTo(internal);
    }
}

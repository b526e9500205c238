package ai.clawbot.host.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.gateway.auth.OriginCheck.Allowed;
import ai.clawbot.host.gateway.auth.OriginCheck.Basis;
import ai.clawbot.host.gateway.auth.OriginCheck.Refused;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private static final String GW = "127.0.0.1:18789";
    private final OriginPolicy none = OriginPolicy.create(List.of());
    private final OriginPolicy ui = OriginPolicy.create(List.of("https://UI.Example.com:443/", "http://gw.example"));

    private static void assertRefused(OriginCheck check) {
        assertThat(check).isInstanceOf(Refused.class);
    }

    @Test
    void nonBrowserClientsWithoutOriginPass() {
        assertThat(none.check(null, GW)).isEqualTo(new Allowed(Basis.NO_ORIGIN));
        assertThat(none.check(null, null)).isEqualTo(new Allowed(Basis.NO_ORIGIN));
        assertThat(none.check("", GW)).isEqualTo(new Allowed(Basis.NO_ORIGIN));
    }

    @Test
    void loopbackPagesPassOnAnyPortAndScheme() {
        for (String o : List.of("http://localhost", "http://localhost:5173", "https://localhost:8443", "HTTP://LOCALHOST:1234",
                "http://127.0.0.1:18789", "http://127.9.8.7", "https://127.255.255.254", "http://[::1]:18789",
                "http://[0:0:0:0:0:0:0:1]", "http://[::ffff:7f00:1]", "http://localhost:80")) {
            assertThat(none.check(o, GW)).as(o).isEqualTo(new Allowed(Basis.LOOPBACK));
            assertThat(none.check(o, null)).as(o).isEqualTo(new Allowed(Basis.LOOPBACK));
        }
    }

    @Test
    void lookalikesOfLoopbackAreRefused() {
        for (String o : List.of("http://localhost.evil.com", "http://127.0.0.1.evil.com", "http://evil.com#@localhost",
                "http://127.0.0.1@evil.com", "http://evil.com@127.0.0.1", "http://localhost@evil.com:80",
                "http://evil.com\\@localhost", "http://evil.com/localhost", "http://evil.com?localhost",
                "http://127.1", "http://0x7f.0.0.1", "http://0177.0.0.1", "http://2130706433", "http://127.0.0.256",
                "http://[::2]", "http://[::ffff:10.0.0.1]", "http://10.0.127.1", "http://1.127.0.0", "http://localhost.", "http://xlocalhost",
                "http://local host", "http://localhost:", "http://localhost:0", "http://localhost:65536",
                "http://localhost:99999999999", "http://localhost\r\nX-Injected: 1", "http://[::1", "http://::1")) {
            assertThat(none.check(o, GW)).as(o).isInstanceOf(Refused.class);
        }
    }

    @Test
    void nullFileOtherSchemesPathsAndOverlongOriginsAreRefused() {
        Refused nul = (Refused) none.check("null", GW);
        assertThat(nul.reason()).contains("null");
        assertThat(((Refused) none.check("file://", GW)).reason()).isNotBlank();
        assertThat(((Refused) none.check("file:///etc/passwd", GW)).reason()).contains("malformed");
        assertThat(((Refused) none.check("chrome-extension://abcdef", GW)).reason()).contains("chrome-extension");
        assertRefused(none.check("ws://localhost:18789", GW));
        for (String o : List.of("http://localhost/", "http://localhost/path", "http://localhost:18789/ui#x", "https://ui.example.com/")) {
            assertRefused(ui.check(o, GW));
        }
        Refused longOne = (Refused) none.check("http://localhost:1/" + "a".repeat(3000), GW);
        assertThat(longOne.reason()).contains("2048");
        assertThat(longOne.origin()).hasSizeLessThanOrEqualTo(121);
        assertRefused(none.check("http://" + "a".repeat(2100) + ".com", GW));
        // What is refused can be logged safely: no control characters, bounded.
        Refused injected = (Refused) none.check("http://x\r\nSet-Cookie: a=b", GW);
        assertThat(injected.origin()).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void configuredOriginsMatchAfterNormalisation() {
        assertThat(ui.allowedOrigins()).containsExactly("https://ui.example.com", "http://gw.example");
        for (String o : List.of("https://ui.example.com", "HTTPS://UI.EXAMPLE.COM", "https://ui.example.com:443",
                "http://gw.example", "http://gw.example:80", "http://GW.example")) {
            assertThat(ui.check(o, "whatever:1")).as(o).isEqualTo(new Allowed(Basis.CONFIGURED));
        }
        OriginPolicy explicit = OriginPolicy.create(List.of("http://gw.example:80", "http://10.0.0.2:8080"));
        assertThat(explicit.check("http://gw.example", null)).isEqualTo(new Allowed(Basis.CONFIGURED));
        assertThat(explicit.check("http://10.0.0.2:8080", null)).isEqualTo(new Allowed(Basis.CONFIGURED));
        for (String o : List.of("http://ui.example.com", "https://ui.example.com:8443", "https://ui.example.com.evil.com",
                "https://evil-ui.example.com", "http://gw.example:8080", "https://gw.example", "http://10.0.0.2")) {
            assertRefused(ui.check(o, GW));
            assertRefused(explicit.check(o, GW));
        }
    }

    @Test
    void sameOriginPassesForTheIpLiteralTheClientDialed() {
        assertThat(none.check("http://192.168.1.5:18789", "192.168.1.5:18789")).isEqualTo(new Allowed(Basis.SAME_ORIGIN));
        assertThat(none.check("http://192.168.1.5", "192.168.1.5")).isEqualTo(new Allowed(Basis.SAME_ORIGIN));
        assertThat(none.check("http://192.168.1.5", "192.168.1.5:80")).isEqualTo(new Allowed(Basis.SAME_ORIGIN));
        assertThat(none.check("https://192.168.1.5", "192.168.1.5:443")).isEqualTo(new Allowed(Basis.SAME_ORIGIN));
        assertThat(none.check("http://[fe80::1]:18789", "[FE80:0:0::1]:18789")).isEqualTo(new Allowed(Basis.SAME_ORIGIN));
        assertRefused(none.check("http://192.168.1.5:18789", "192.168.1.5:18790"));
        assertRefused(none.check("http://192.168.1.5:18789", "192.168.1.6:18789"));
        assertRefused(none.check("https://192.168.1.5", "192.168.1.5:80"));
        assertRefused(none.check("http://192.168.1.5:18789", null));
        assertRefused(none.check("http://192.168.1.5:18789", "192.168.1.5:18789, evil.com"));
        assertRefused(none.check("http://192.168.1.5:18789", "user@192.168.1.5:18789"));
    }

    @Test
    void aMatchingHostHeaderNeverVouchesForADnsName() {
        // DNS rebinding: evil.example re-pointed at the gateway sends matching Origin and Host.
        assertRefused(none.check("http://evil.example:18789", "evil.example:18789"));
        // A Host header naming an allowed origin does not make a different Origin allowed.
        assertRefused(ui.check("https://evil.com", "ui.example.com"));
        assertRefused(ui.check("http://10.0.0.9", "ui.example.com"));
        assertRefused(none.check("http://10.0.0.9", "10.0.0.5"));
        assertRefused(none.check("http://10.0.0.9", "127.0.0.1:18789"));
    }

    @Test
    void badConfiguredEntriesAreRefusedNamingTheEntry() {
        for (String bad : List.of("*", "null", "https://ui.example.com/path", "ftp://files.example.com", "https://user@ui.example.com",
                "ui.example.com", "https://", "https://ui.example.com:99999", "https://ui.example.com?x=1", "file:///tmp")) {
            assertThatThrownBy(() -> OriginPolicy.create(List.of("https://ok.example", bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> OriginPolicy.create(List.of(" "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> OriginPolicy.create(Arrays.asList("https://ok.example", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OriginPolicy.create(null).allowedOrigins()).isEmpty();
    }
}

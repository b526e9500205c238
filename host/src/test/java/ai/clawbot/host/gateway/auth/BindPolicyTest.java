package ai.clawbot.host.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindPolicyTest {

    @Test
    void keywordsAndLiteralsResolveWithoutLookups() {
        assertThat(BindPolicy.resolveBind("loopback").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(BindPolicy.resolveBind(" LOOPBACK ").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(BindPolicy.resolveBind("localhost").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(BindPolicy.resolveBind("lan").getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(BindPolicy.resolveBind("10.1.2.3").getHostAddress()).isEqualTo("10.1.2.3");
        assertThat(BindPolicy.resolveBind("0.0.0.0").isAnyLocalAddress()).isTrue();
        assertThat(BindPolicy.resolveBind("::1").isLoopbackAddress()).isTrue();
        assertThat(BindPolicy.resolveBind("[::1]").isLoopbackAddress()).isTrue();
        assertThat(BindPolicy.resolveBind("::").isAnyLocalAddress()).isTrue();
        assertThat(BindPolicy.resolveBind("2001:db8::7").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void anythingElseIsRefusedNamingTheValue() {
        for (String bad : List.of("example.com", "localhost.localdomain", "tailnet", "auto", "custom", "127.1", "256.1.1.1",
                "01.2.3.4", "1.2.3.4.5", "1.2.3", "fe80::1%eth0", ":::", "[::1", "::1]", "1::2::3", "0x7f000001", "lan0")) {
            assertThatThrownBy(() -> BindPolicy.resolveBind(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad).hasMessageContaining("loopback");
        }
        assertThatThrownBy(() -> BindPolicy.resolveBind(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BindPolicy.resolveBind("  ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BindPolicy.resolveBind("1".repeat(100))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loopbackIsThe127NetAndColonColonOneIncludingTheMappedForm() throws Exception {
        for (String l : List.of("127.0.0.1", "127.255.255.254", "::1")) {
            assertThat(BindPolicy.isLoopback(InetAddress.getByName(l))).as(l).isTrue();
        }
        for (String n : List.of("0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "::2")) {
            assertThat(BindPolicy.isLoopback(InetAddress.getByName(n))).as(n).isFalse();
        }
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        assertThat(BindPolicy.isLoopback(Inet6Address.getByAddress(null, mapped, -1))).isTrue();
        mapped[12] = 10;
        assertThat(BindPolicy.isLoopback(Inet6Address.getByAddress(null, mapped, -1))).isFalse();
    }

    @Test
    void aNonLoopbackListenerWithoutAuthIsRefused() {
        assertThatThrownBy(() -> BindPolicy.requireAuthForNonLoopback(BindPolicy.resolveBind("lan"), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to listen on 0.0.0.0 without auth: set gateway.auth.mode to token");
        assertThatThrownBy(() -> BindPolicy.requireAuthForNonLoopback(BindPolicy.resolveBind("::"), false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BindPolicy.requireAuthForNonLoopback(BindPolicy.resolveBind("192.168.1.2"), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("192.168.1.2");
        assertThatCode(() -> BindPolicy.requireAuthForNonLoopback(BindPolicy.resolveBind("lan"), true)).doesNotThrowAnyException();
        assertThatCode(() -> BindPolicy.requireAuthForNonLoopback(BindPolicy.resolveBind("loopback"), false)).doesNotThrowAnyException();
        assertThatCode(() -> BindPolicy.requireAuthForNonLoopback(BindPolicy.resolveBind("::1"), false)).doesNotThrowAnyException();
    }
}

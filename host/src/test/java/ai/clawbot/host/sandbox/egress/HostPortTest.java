package ai.clawbot.host.sandbox.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {

    @Test
    void parsesAndLowercasesSoThatEqualityIsCaseInsensitive() {
        HostPort hp = HostPort.parse("API.Example.COM:443");
        assertThat(hp.host()).isEqualTo("api.example.com");
        assertThat(hp.port()).isEqualTo(443);
        assertThat(hp).isEqualTo(new HostPort("api.example.com", 443)).isNotEqualTo(new HostPort("api.example.com", 444));
        assertThat(hp.toString()).isEqualTo("api.example.com:443");
        assertThat(hp.isIpLiteral()).isFalse();
        assertThat(HostPort.parse("192.0.2.1:80").isIpLiteral()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                    | got nothing",
            "example.com           | has no port",
            "example.com:          | no valid port",
            ":80                   | has no host",
            "example.com:0         | out of range",
            "example.com:65536     | out of range",
            "example.com:+80       | no valid port",
            "example.com:8o        | no valid port",
            "a:b:80                | more than one ':'",
            "[::1]:443             | IPv6 literals are not supported",
            "exa mple.com:80       | not allowed in a host name",
            "example.com.:80       | ends with a dot",
            "a..b:80               | empty or over-long label",
            "-a.com:80             | starting or ending with '-'",
            "127.1:80              | not in dotted-quad form",
            "2130706433:80         | not in dotted-quad form",
            "0x7f.0.0.1:80         | not in dotted-quad form",
            "127.000.0.1:80        | not in dotted-quad form",
            "256.0.0.1:80          | not in dotted-quad form",
    })
    void badInputIsRefusedWithTheProblemNamed(String input, String problem) {
        assertThatThrownBy(() -> HostPort.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }
}

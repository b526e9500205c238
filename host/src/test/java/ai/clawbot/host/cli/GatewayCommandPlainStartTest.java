package ai.clawbot.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code claw gateway [--port N]} starts without picocli; every other form still goes through it. */
class GatewayCommandPlainStartTest {

    @Test
    void thePlainStartFormsAreReadDirectly() {
        assertThat(GatewayCommand.plainStart(new String[] {"gateway"})).hasValueSatisfying(c -> assertThat(c.port).isNull());
        assertThat(GatewayCommand.plainStart(new String[] {"gateway", "--port", "18790"}))
                .hasValueSatisfying(c -> assertThat(c.port).isEqualTo(18790));
        assertThat(GatewayCommand.plainStart(new String[] {"gateway", "--port=18791"}))
                .hasValueSatisfying(c -> assertThat(c.port).isEqualTo(18791));
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        String[][] others = {
            {}, {"status"}, {"gateway", "--help"}, {"gateway", "-V"}, {"gateway", "call", "health"},
            {"gateway", "--port"}, {"gateway", "--port", "x"}, {"gateway", "--port=-1"}, {"gateway", "--port", "123456"},
            {"gateway", "--port", "1", "--port", "2"}, {"gateway", "--prot", "1"}, {"gateway", "--port", "1", "extra"},
        };
        for (String[] args : others) {
            assertThat(GatewayCommand.plainStart(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void picocliStillExplainsABadPort() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "gateway", "--port", "x");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--port").contains("'x'");
    }
}

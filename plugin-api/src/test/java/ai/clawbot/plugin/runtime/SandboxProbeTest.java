package ai.clawbot.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe as the contract runs it, in its own JVM: it reports what it observed (the host's contract tests run it
 * inside real sandboxes; here it runs on the build machine, where a loopback connect must succeed).
 */
class SandboxProbeTest {

    @Test
    void reportsEnvironmentProcessesConnectsLookupsAndFiles(@TempDir Path dir) throws Exception {
        Path present = Files.writeString(dir.resolve("here"), "x");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SandboxProbe.class.getName(),
                    "--connect", "127.0.0.1:" + listener.getLocalPort(), "--connect", "127.0.0.1:" + closed,
                    "--resolve", "localhost", "--exists", present.toString(), "--exists", dir.resolve("absent").toString());
            pb.environment().put("PROBE_TEST_MARK", "seen");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();

            JsonNode r = new ObjectMapper().readTree(out);
            assertThat(r.at("/env/PROBE_TEST_MARK").asText()).isEqualTo("seen");
            assertThat(r.path("processes").isArray()).isTrue();
            assertThat(r.at("/connects/0/connected").asBoolean()).isTrue();
            assertThat(r.at("/connects/1/connected").asBoolean()).isFalse();
            assertThat(r.at("/connects/1/error").asText()).contains("Connection refused");
            assertThat(r.at("/resolves/0/addresses").size()).isPositive();
            assertThat(r.at("/exists/0/exists").asBoolean()).isTrue();
            assertThat(r.at("/exists/1/exists").asBoolean()).isFalse();
        }
    }
}

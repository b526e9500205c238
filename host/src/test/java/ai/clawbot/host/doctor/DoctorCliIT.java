package ai.clawbot.host.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code claw doctor} run as the real launcher: each broken thing is one FAIL line that says what to run. */
class DoctorCliIT {

    @TempDir
    Path tmp;
    Path state;
    Map<String, String> env;

    @BeforeEach
    void state() throws Exception {
        state = tmp.resolve("state");
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        env = Map.of("OPENCLAW_STATE_DIR", state.toString());
    }

    private static String line(String out, String check) {
        return out.lines().filter(l -> l.matches("\\[\\w+ *\\] " + check + " .*")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " line in:\n" + out));
    }

    @Test
    void dockerUnreachableIsAFailThatSaysHowToStartIt() throws Exception {
        Path dead = tmp.resolve("dead.sock");
        Claw.Result r = Claw.run(Map.of("OPENCLAW_STATE_DIR", state.toString(), "DOCKER_HOST", "unix://" + dead), null,
                "doctor", "--port", "0");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(line(r.out(), "docker")).startsWith("[FAIL]").contains("no Docker engine answers at unix://" + dead);
        assertThat(r.out()).contains("fix: start it (sudo systemctl start docker) or point DOCKER_HOST");
        assertThat(line(r.out(), "images")).startsWith("[FAIL]").contains("no Docker engine answers");
        assertThat(line(r.out(), "jdk")).startsWith("[ok  ]");
    }

    @Test
    void aPluginNamingAnImageNoRecipeBuildsIsReportedWithTheKnownFamilies() throws Exception {
        String manifest = """
                id: ghost
                version: 1.0.0
                description: Names an image that does not exist.
                tools:
                  - name: look
                    description: A tool.
                    effect: read
                    input: {type: object, properties: {}}
                sandbox: {image: clawbot/no-such-image:0}
                permissions: {workspace: none}
                network: none
                """;
        StateDir dir = new StateDir(state);
        TestPluginJar.of("ghost", "1.0.0", manifest, "ghost.Impl", """
                package ghost;
                public class Impl implements ai.clawbot.plugin.api.Skill {
                    public java.util.Map<String, ai.clawbot.plugin.api.ToolHandler> tools() { return java.util.Map.of(); }
                }
                """).buildSignedAndTrusted(dir.plugins(), dir.trust(), "ghost-publisher");
        // Missing and stale images of real families are DoctorImagesTest's (the engine here has every family built);
        // a plugin naming an image no recipe builds is refused at load, and the doctor says which and why.
        Claw.Result r = Claw.run(env, null, "doctor", "--port", "0", "--json");
        assertThat(r.exit()).as(r.out()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out().substring(r.out().indexOf('{')));
        JsonNode plugins = null;
        for (JsonNode c : report.path("checks")) {
            if (c.path("check").asText().equals("plugins") && c.path("status").asText().equals("warn")) {
                plugins = c;
            }
        }
        assertThat(plugins).as(r.out()).isNotNull();
        assertThat(plugins.path("detail").asText()).contains("ghost.jar").contains("UNKNOWN_IMAGE_FAMILY")
                .contains("unknown image family 'clawbot/no-such-image:0'").contains("skill-jre, skill-node, skill-stt");
        assertThat(plugins.path("fix").asText()).contains("claw plugins remove");
    }

    @Test
    void aBrokenConfigIsOneFailPerProblemWithItsJsonPath() throws Exception {
        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"port\": \"high\", \"bind\": 7}}");
        Claw.Result r = Claw.run(env, null, "doctor", "--port", "0");
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out().lines().filter(l -> l.startsWith("[FAIL] config"))).as(r.out())
                .anyMatch(l -> l.contains("$.gateway.port")).anyMatch(l -> l.contains("$.gateway.bind"));
        assertThat(r.out()).contains("fix: edit " + state.resolve("openclaw.json") + " at that path");

        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": ");
        Claw.Result notJson = Claw.run(env, null, "doctor", "--port", "0");
        assertThat(line(notJson.out(), "config")).startsWith("[FAIL]").contains("$");
    }

    @Test
    void aBusyPortIsAFailAndOneHeldByOurGatewayIsNot() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Claw.Result r = Claw.run(env, null, "doctor", "--port", String.valueOf(busy.getLocalPort()));
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(line(r.out(), "port")).startsWith("[FAIL]")
                    .contains("127.0.0.1:" + busy.getLocalPort() + " is in use by another program");
            assertThat(r.out()).contains("ss -ltnp 'sport = :" + busy.getLocalPort() + "'");
        }
        Path other = tmp.resolve("gw");
        try (Gateway gw = TestGateway.start(other, SandboxObserver.NONE)) {
            Claw.Result r = Claw.run(env, null, "doctor", "--port", String.valueOf(gw.webSocketUri().getPort()));
            assertThat(line(r.out(), "port")).as(r.out()).startsWith("[ok  ]").contains("held by a running Clawbot gateway");
        }
    }

    @Test
    void fixTightensLooseModesAndSaysSo() throws Exception {
        Files.writeString(state.resolve("openclaw.json"), "{}");
        Files.setPosixFilePermissions(state.resolve("openclaw.json"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        Claw.Result before = Claw.run(env, null, "doctor", "--port", "0");
        assertThat(before.out()).contains("[WARN] modes").contains("fix: chmod go-rwx " + state.resolve("openclaw.json"));
        Claw.Result r = Claw.run(env, null, "doctor", "--port", "0", "--fix");
        assertThat(r.out()).contains("fixed: modes: tightened the modes of 2 files");
        assertThat(line(r.out(), "modes")).startsWith("[ok  ]");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("openclaw.json"))))
                .isEqualTo("rw-------");
    }
}

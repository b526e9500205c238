package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack tests for the sandbox: a signed test skill, compiled and packed in a temp folder, runs code in
 * the real container through the real dispatch path and reports what it could do; a skill that sleeps
 * past its deadline or floods its output is killed, and nothing is left behind.
 */
@ExtendWith(DockerRequired.class)
class SandboxConfinementTest {

    private static final DockerClient DOCKER = DockerClients.create();

    private static final String MANIFEST = """
            id: lab
            version: 1.0.0
            description: Probes its own sandbox (tests only).
            tools:
              - name: probe
                description: Report what this process can see and do.
                effect: read
                input: {type: object, properties: {port: {type: integer}}}
              - name: sleep
                description: Sleep.
                effect: read
                input: {type: object, required: [ms], properties: {ms: {type: integer}}}
              - name: flood
                description: Write megabytes to stdout.
                effect: read
                input: {type: object, required: [mb], properties: {mb: {type: integer}}}
            sandbox: {image: clawbot/skill-jre:17}
            permissions:
              workspace: none
              resources: {memory: 256m, cpus: 1, pids: 64, timeout: 5s}
            network: none
            """;

    private static final String SOURCE = """
            package lab;

            import ai.clawbot.plugin.api.*;
            import com.fasterxml.jackson.databind.node.JsonNodeFactory;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            import java.io.IOException;
            import java.net.InetSocketAddress;
            import java.net.Socket;
            import java.nio.file.*;
            import java.util.*;

            public class LabSkill implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of(
                        "probe", (args, ctx) -> probe(args.path("port").asInt(18789)),
                        "sleep", (args, ctx) -> {
                            try { Thread.sleep(args.path("ms").asLong()); } catch (InterruptedException e) { }
                            return ToolResult.text("slept");
                        },
                        "flood", (args, ctx) -> {
                            byte[] chunk = new byte[64 * 1024];
                            Arrays.fill(chunk, (byte) 'x');
                            for (int i = 0; i < args.path("mb").asInt() * 16; i++) { System.out.write(chunk, 0, chunk.length); }
                            System.out.flush();
                            return ToolResult.text("flooded");
                        });
                }

                static ToolResult probe(int port) {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    try {
                        for (String line : Files.readString(Path.of("/proc/self/status")).split("\\n")) {
                            int c = line.indexOf(':');
                            if (c > 0) { o.put(line.substring(0, c), line.substring(c + 1).trim()); }
                        }
                        List<String> ifaces = new ArrayList<>();
                        try (var s = Files.list(Path.of("/sys/class/net"))) { s.forEach(p -> ifaces.add(p.getFileName().toString())); }
                        Collections.sort(ifaces);
                        o.put("ifaces", String.join(",", ifaces));
                    } catch (IOException e) {
                        o.put("error", e.toString());
                    }
                    o.put("rootWritable", writable(Path.of("/probe")));
                    o.put("etcWritable", writable(Path.of("/etc/probe")));
                    o.put("optWritable", writable(Path.of("/opt/claw/plugin/probe")));
                    o.put("tmpWritable", writable(Path.of("/tmp/probe")));
                    o.put("dockerSock", Files.exists(Path.of("/var/run/docker.sock")) || Files.exists(Path.of("/run/docker.sock")));
                    o.put("workspaceEntries", String.valueOf(new java.io.File("/workspace").list() == null ? -1 : new java.io.File("/workspace").list().length));
                    o.put("env", String.join(",", new TreeSet<>(System.getenv().keySet())));
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                        o.put("gatewayReachable", true);
                    } catch (IOException e) {
                        o.put("gatewayReachable", false);
                    }
                    return ToolResult.of("probed", o);
                }

                static boolean writable(Path p) {
                    try { Files.writeString(p, "x"); return true; } catch (Exception e) { return false; }
                }
            }
            """;

    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("claw-confine");
        TestPluginJar.of("lab", "1.0.0", MANIFEST, "lab.LabSkill", SOURCE)
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "lab-publisher");
        gateway = TestGateway.start(state, SandboxObserver.NONE);
        assertThat(gateway.catalog().refused()).isEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            // Warm containers live until the gateway stops; then nothing may be left behind.
            assertThat(DOCKER.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("ai.clawbot.sandbox", "1", "ai.clawbot.scope", ai.clawbot.host.sandbox.SandboxSettings.scopeOf(state))).exec()).isEmpty();
        }
        TestGateway.deleteTree(state);
    }

    private static JsonNode invoke(String tool, ObjectNode args) throws Exception {
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode params = ProtocolClient.params().put("skill", "lab").put("tool", tool);
            params.set("args", args);
            return client.request("tools.invoke", params);
        }
    }

    /** The container of a failed call was killed and removed (warm ones of other calls may remain). */
    private static void assertKilled(JsonNode res) {
        String id = res.at("/error/details/containerId").asText();
        assertThat(id).as("the error names the container").isNotBlank();
        assertThat(DOCKER.listContainersCmd().withShowAll(true).withIdFilter(java.util.List.of(id)).exec()).isEmpty();
    }


    @Test
    void codeInTheSandboxHasNoCapabilitiesNoPrivilegeGainNoNetworkAndAReadOnlyRoot() throws Exception {
        JsonNode res = invoke("probe", ProtocolClient.params().put("port", gateway.port()));
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        JsonNode p = res.at("/payload/structured");
        assertThat(p.path("Uid").asText()).as("not root").doesNotStartWith("0\t").doesNotStartWith("0 ");
        assertThat(p.path("CapEff").asText()).isEqualTo("0000000000000000");
        assertThat(p.path("CapPrm").asText()).isEqualTo("0000000000000000");
        assertThat(p.path("CapBnd").asText()).isEqualTo("0000000000000000");
        assertThat(p.path("NoNewPrivs").asText()).isEqualTo("1");
        assertThat(p.path("Seccomp").asText()).as("Docker's seccomp filter is on").isEqualTo("2");
        assertThat(p.path("rootWritable").asBoolean()).isFalse();
        assertThat(p.path("etcWritable").asBoolean()).isFalse();
        assertThat(p.path("optWritable").asBoolean()).as("plugin jar mount is read-only").isFalse();
        assertThat(p.path("tmpWritable").asBoolean()).as("tmpfs /tmp is writable").isTrue();
        assertThat(p.path("ifaces").asText()).as("network none: loopback only").isEqualTo("lo");
        assertThat(p.path("gatewayReachable").asBoolean()).as("the host's gateway port is out of reach").isFalse();
        assertThat(p.path("dockerSock").asBoolean()).isFalse();
        assertThat(p.path("workspaceEntries").asText()).as("workspace: none mounts nothing").isEqualTo("0");
        assertThat(p.path("env").asText()).doesNotContain("TOKEN").doesNotContain("OPENCLAW");
    }

    @Test
    void aCallPastItsDeadlineIsKilledAndReportedAsATimeout() throws Exception {
        long t0 = System.nanoTime();
        JsonNode res = invoke("sleep", ProtocolClient.params().put("ms", 120_000));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
        assertThat(res.at("/error/details/code").asText()).isEqualTo("TOOL_TIMEOUT");
        assertThat(res.at("/error/message").asText()).contains("5000 ms");
        assertThat(ms).as("killed at the 5 s deadline, not after the 120 s sleep").isLessThan(20_000);
        assertKilled(res);
    }

    @Test
    void anOutputFloodIsCutOffAndItsContainerKilled() throws Exception {
        JsonNode res = invoke("flood", ProtocolClient.params().put("mb", 64));
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
        assertThat(res.at("/error/details/code").asText()).isEqualTo("OUTPUT_LIMIT");
        assertKilled(res);
        // The gateway is unharmed and still serves calls.
        assertThat(invoke("probe", ProtocolClient.params()).path("ok").asBoolean()).isTrue();
    }
}

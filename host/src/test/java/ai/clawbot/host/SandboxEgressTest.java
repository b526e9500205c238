package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.egress.EgressEvent;
import ai.clawbot.host.sandbox.egress.Resolver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The egress allowlist end to end: a sandboxed tool reaches a local HTTP server (on the host) through its
 * proxy, a name off the allowlist is refused and logged, and nothing else is reachable.
 */
@ExtendWith(DockerRequired.class)
class SandboxEgressTest {

    private static final DockerClient DOCKER = DockerClients.create();
    private static final List<EgressEvent> EVENTS = new CopyOnWriteArrayList<>();
    private static final List<String> STARTED = new CopyOnWriteArrayList<>();
    private static HttpServer origin;
    private static ServerSocket hostService;
    private static Path state;
    private static Gateway gateway;

    private static final String SOURCE = """
            package fetch;
            import ai.clawbot.plugin.api.*;
            import com.fasterxml.jackson.databind.node.*;
            import java.net.*;
            import java.io.*;
            import java.util.Map;
            public class Fetch implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of(
                        "get", (args, ctx) -> {
                            ObjectNode o = JsonNodeFactory.instance.objectNode();
                            try {
                                HttpURLConnection c = (HttpURLConnection) new URL(args.path("url").asText()).openConnection();
                                c.setConnectTimeout(5000);
                                c.setReadTimeout(5000);
                                o.put("status", c.getResponseCode());
                                InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream();
                                o.put("body", in == null ? "" : new String(in.readAllBytes()));
                            } catch (IOException e) {
                                o.put("status", -1).put("error", e.toString());
                            }
                            return ToolResult.of("fetched", o);
                        },
                        "direct", (args, ctx) -> {
                            ObjectNode o = JsonNodeFactory.instance.objectNode();
                            try (Socket s = new Socket(Proxy.NO_PROXY)) {
                                s.connect(new InetSocketAddress(args.path("host").asText(), args.path("port").asInt()), 2000);
                                o.put("connected", true);
                            } catch (IOException e) {
                                o.put("connected", false).put("error", e.toString());
                            }
                            return ToolResult.of("tried", o);
                        },
                        "resolve", (args, ctx) -> {
                            ObjectNode o = JsonNodeFactory.instance.objectNode();
                            try {
                                o.put("resolved", InetAddress.getByName(args.path("name").asText()).getHostAddress());
                            } catch (UnknownHostException e) {
                                o.putNull("resolved");
                            }
                            return ToolResult.of("resolved", o);
                        },
                        "proxy", (args, ctx) -> ToolResult.of(System.getProperty("http.proxyHost") + ":" + System.getProperty("http.proxyPort"), null));
                }
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", ex -> {
            byte[] body = ("hello from the host, you asked for " + ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        origin.start();
        hostService = new ServerSocket(0); // listens on all addresses, as a careless host service would
        int port = origin.getAddress().getPort();
        String manifest = """
                id: fetch
                version: 1.0.0
                description: Fetches URLs (tests only).
                tools:
                  - {name: get, description: GET a URL., effect: external, input: {type: object, properties: {url: {type: string}}}}
                  - {name: direct, description: Connect without the proxy., effect: external, input: {type: object}}
                  - {name: resolve, description: Resolve a name., effect: external, input: {type: object}}
                  - {name: proxy, description: Show the proxy., effect: read, input: {type: object}}
                sandbox: {image: clawbot/skill-jre:17}
                permissions: {workspace: none, resources: {timeout: 20s}}
                network: {allow: ["allowed.test:%d"]}
                """.formatted(port);
        state = Files.createTempDirectory("claw-egress");
        TestPluginJar.of("fetch", "1.0.0", manifest, "fetch.Fetch", SOURCE)
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "pub");
        Resolver names = host -> {
            if (host.equals("allowed.test") || host.equals("denied.test")) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            throw new UnknownHostException(host);
        };
        TestGateway.preApprove(state, "fetch.*"); // external effect: not about approvals here
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                STARTED.add(containerId);
            }

            @Override
            public void egress(EgressEvent event) {
                EVENTS.add(event);
            }
        }, s -> s.withEgressResolver(names));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            assertThat(DOCKER.listNetworksCmd().withFilter("label", List.of("ai.clawbot.sandbox=1")).exec())
                    .as("egress networks are removed with their containers").isEmpty();
            Process p = new ProcessBuilder("iptables", "-S", "INPUT").redirectErrorStream(true).start();
            String rules = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(rules).as("firewall rules are lifted").doesNotContain("br-");
        }
        origin.stop(0);
        hostService.close();
        TestGateway.deleteTree(state);
    }

    private static JsonNode call(String tool, ObjectNode args) throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode p = ProtocolClient.params().put("skill", "fetch").put("tool", tool);
            p.set("args", args);
            JsonNode res = c.request("tools.invoke", p);
            assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
            return res.path("payload");
        }
    }

    @Test
    void anAllowlistedCallReachesTheLocalServerThroughTheProxy() throws Exception {
        int port = origin.getAddress().getPort();
        JsonNode r = call("get", ProtocolClient.params().put("url", "http://allowed.test:" + port + "/notes"));
        assertThat(r.at("/structured/status").asInt()).as(r.toString()).isEqualTo(200);
        assertThat(r.at("/structured/body").asText()).isEqualTo("hello from the host, you asked for /notes");
        assertThat(EVENTS).anySatisfy(e -> {
            assertThat(e.refused()).isFalse();
            assertThat(e.host()).isEqualTo("allowed.test");
        });
    }

    @Test
    void aNameOffTheAllowlistIsRefusedByTheProxyAndLogged() throws Exception {
        int port = origin.getAddress().getPort();
        JsonNode r = call("get", ProtocolClient.params().put("url", "http://denied.test:" + port + "/"));
        assertThat(r.at("/structured/status").asInt()).isEqualTo(403);
        assertThat(r.at("/structured/body").asText()).doesNotContain("hello from the host");
        assertThat(EVENTS).anySatisfy(e -> {
            assertThat(e.refused()).isTrue();
            assertThat(e.host()).isEqualTo("denied.test");
        });
        JsonNode wrongPort = call("get", ProtocolClient.params().put("url", "http://allowed.test:" + (port + 1) + "/"));
        assertThat(wrongPort.at("/structured/status").asInt()).isEqualTo(403);
    }

    @Test
    void externalNamesDoNotResolveInsideTheSandbox() throws Exception {
        assertThat(call("resolve", ProtocolClient.params().put("name", "example.com")).at("/structured/resolved").isNull()).isTrue();
        assertThat(call("resolve", ProtocolClient.params().put("name", "allowed.test")).at("/structured/resolved").isNull()).isTrue();
    }

    @Test
    void theHostIsReachableOnlyAtTheProxyPort() throws Exception {
        String proxy = call("proxy", ProtocolClient.params()).path("text").asText();
        String gatewayIp = proxy.substring(0, proxy.indexOf(':'));
        ObjectNode toService = ProtocolClient.params().put("host", gatewayIp).put("port", hostService.getLocalPort());
        JsonNode r = call("direct", toService);
        boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        if (root) { // the bridge firewall needs root; without it the gateway logs that host ports are exposed
            assertThat(r.at("/structured/connected").asBoolean()).as(r.toString()).isFalse();
        }
        ObjectNode toProxy = ProtocolClient.params().put("host", gatewayIp).put("port", Integer.parseInt(proxy.substring(proxy.indexOf(':') + 1)));
        assertThat(call("direct", toProxy).at("/structured/connected").asBoolean()).as("the proxy itself is reachable").isTrue();
        ObjectNode toGateway = ProtocolClient.params().put("host", gatewayIp).put("port", gateway.port());
        assertThat(call("direct", toGateway).at("/structured/connected").asBoolean()).isFalse();
    }
}

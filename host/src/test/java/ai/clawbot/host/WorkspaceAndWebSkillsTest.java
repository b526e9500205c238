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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The coder's and researcher's tools through a real gateway, {@code tools.invoke} over a real WebSocket, each
 * call in a hardened container: the bundled workspace skill (as built and signed) writes, edits, reads, lists
 * and runs commands, and refuses to leave the workspace; the web skill's real code fetches from a local server
 * through the egress proxy and is refused by it off the allowlist.
 * <p>
 * The web jar is the bundled one as built and signed; the operator grants it this test's origin through its
 * {@code sites} setting (with {@code allowPrivate}, since {@code web.test} resolves to loopback here).
 */
@ExtendWith(DockerRequired.class)
class WorkspaceAndWebSkillsTest {

    private static final DockerClient DOCKER = DockerClients.create();
    private static final List<EgressEvent> EGRESS = new CopyOnWriteArrayList<>();
    private static final Map<String, String> NETWORK_BY_SKILL = new ConcurrentHashMap<>();
    private static HttpServer origin;
    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/article", ex -> {
            byte[] body = ("<html><head><title>Harbour notes</title><script>var x = 1;</script></head>"
                    + "<body><h1>The lighthouse</h1><p>Built in 1874 &amp; still lit.</p></body></html>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        origin.createContext("/moved", ex -> {
            ex.getResponseHeaders().set("Location", "/article");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        origin.start();
        int port = origin.getAddress().getPort();

        state = Files.createTempDirectory("claw-coder-researcher");
        Path workspace = Files.createDirectories(state.resolve("workspace"));
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxrwx")); // the sandbox user writes
        Files.createSymbolicLink(workspace.resolve("etc-link"), Path.of("/etc")); // leads out, inside the container too
        Path plugins = state.resolve("plugins");
        TestGateway.copyBundled("plugins/workspace.jar", plugins.resolve("workspace.jar"));
        TestGateway.copyBundled("plugins/workspace.jar.sig", plugins.resolve("workspace.jar.sig"));
        TestGateway.copyBundled("plugins/web.jar", plugins.resolve("web.jar"));
        TestGateway.copyBundled("plugins/web.jar.sig", plugins.resolve("web.jar.sig"));
        Files.writeString(state.resolve("openclaw.json"), """
                {"plugins": {"entries": {"web": {"config": {"sites": ["web.test:%d"]},
                  "grants": {"sites": {"allowPrivate": true}}}}}}
                """.formatted(port));

        Resolver names = host -> {
            if (host.equals("web.test") || host.equals("denied.test")) {
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            }
            throw new UnknownHostException(host);
        };
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                NETWORK_BY_SKILL.put(call.skill().id(),
                        DOCKER.inspectContainerCmd(containerId).exec().getHostConfig().getNetworkMode());
            }

            @Override
            public void egress(EgressEvent event) {
                EGRESS.add(event);
            }
        }, s -> s.withEgressResolver(names));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.stop(0);
        }
        TestGateway.deleteTree(state);
    }

    private static JsonNode invoke(ProtocolClient c, String skill, String tool, ObjectNode args) throws Exception {
        ObjectNode p = ProtocolClient.params().put("skill", skill).put("tool", tool);
        p.set("args", args);
        JsonNode res = c.request("tools.invoke", p);
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        return res.path("payload");
    }

    private static ObjectNode args() {
        return ProtocolClient.params();
    }

    @Test
    void workspaceWritesEditsReadsListsAndRunsCommandsInItsSandbox() throws Exception {
        Path ws = state.resolve("workspace");
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode written = invoke(c, "workspace", "write", args().put("path", "notes/todo.txt").put("content", "alpha\nbeta\n"));
            assertThat(written.path("isError").asBoolean()).as(written.toString()).isFalse();
            assertThat(written.at("/structured/created").asBoolean()).isTrue();
            assertThat(Files.readString(ws.resolve("notes/todo.txt"))).isEqualTo("alpha\nbeta\n");

            JsonNode edited = invoke(c, "workspace", "edit", args().put("path", "notes/todo.txt")
                    .put("old_string", "beta").put("new_string", "gamma"));
            assertThat(edited.path("text").asText()).isEqualTo("edited notes/todo.txt at line 2");
            assertThat(Files.readString(ws.resolve("notes/todo.txt"))).isEqualTo("alpha\ngamma\n");

            JsonNode ambiguous = invoke(c, "workspace", "edit", args().put("path", "notes/todo.txt")
                    .put("old_string", "a").put("new_string", "A"));
            assertThat(ambiguous.path("isError").asBoolean()).isTrue();
            assertThat(ambiguous.path("text").asText()).startsWith("AMBIGUOUS_MATCH");

            assertThat(invoke(c, "workspace", "read", args().put("path", "notes/todo.txt")).path("text").asText())
                    .isEqualTo("alpha\ngamma\n");
            JsonNode listed = invoke(c, "workspace", "list", args().put("recursive", true));
            assertThat(listed.at("/structured/entries").findValuesAsText("path")).contains("notes", "notes/todo.txt", "etc-link");

            JsonNode ls = invoke(c, "workspace", "exec", args().set("command", ProtocolClient.params().arrayNode().add("ls").add("notes")));
            assertThat(ls.path("isError").asBoolean()).as(ls.toString()).isFalse();
            assertThat(ls.at("/structured/exitCode").asInt()).isZero();
            assertThat(ls.at("/structured/stdout").asText()).isEqualTo("todo.txt\n");

            JsonNode failing = invoke(c, "workspace", "exec", args().set("command",
                    ProtocolClient.params().arrayNode().add("sh").add("-c").add("echo oops >&2; exit 7")));
            assertThat(failing.path("isError").asBoolean()).isFalse();
            assertThat(failing.at("/structured/exitCode").asInt()).isEqualTo(7);
            assertThat(failing.path("text").asText()).startsWith("exit code 7").contains("--- stderr ---\noops");

            JsonNode missing = invoke(c, "workspace", "exec", args().set("command", ProtocolClient.params().arrayNode().add("ls").add("nope")));
            assertThat(missing.at("/structured/exitCode").asInt()).isNotZero();
            assertThat(missing.at("/structured/stderr").asText()).contains("nope");
        }
        assertThat(NETWORK_BY_SKILL.get("workspace")).as("the workspace skill has no network").isEqualTo("none");
    }

    @Test
    void workspacePathsThatLeaveTheWorkspaceAreRefusedInTheSandbox() throws Exception {
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            for (String path : List.of("../openclaw.json", "etc-link/passwd", "/etc/passwd")) {
                JsonNode r = invoke(c, "workspace", "read", args().put("path", path));
                assertThat(r.path("isError").asBoolean()).as(path).isTrue();
                assertThat(r.path("text").asText()).as(path).startsWith("OUTSIDE_WORKSPACE");
                assertThat(r.toString()).doesNotContain("root:x:0").doesNotContain(TestGateway.TOKEN);
            }
            JsonNode write = invoke(c, "workspace", "write", args().put("path", "../escaped.txt").put("content", "x"));
            assertThat(write.path("text").asText()).startsWith("OUTSIDE_WORKSPACE");
            assertThat(Files.exists(state.resolve("escaped.txt"))).isFalse();
            JsonNode cwd = invoke(c, "workspace", "exec", args().put("cwd", "etc-link")
                    .set("command", ProtocolClient.params().arrayNode().add("ls")));
            assertThat(cwd.path("text").asText()).startsWith("OUTSIDE_WORKSPACE");
        }
    }

    @Test
    void webFetchReachesAnAllowlistedServerThroughTheEgressProxyAndIsRefusedElsewhere() throws Exception {
        int port = origin.getAddress().getPort();
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode page = invoke(c, "web", "fetch", args().put("url", "http://web.test:" + port + "/moved"));
            assertThat(page.path("isError").asBoolean()).as(page.toString()).isFalse();
            JsonNode s = page.path("structured");
            assertThat(s.path("status").asInt()).as(page.toString()).isEqualTo(200);
            assertThat(s.path("finalUrl").asText()).isEqualTo("http://web.test:" + port + "/article");
            assertThat(s.path("contentType").asText()).isEqualTo("text/html; charset=utf-8");
            assertThat(s.path("title").asText()).isEqualTo("Harbour notes");
            assertThat(s.path("text").asText()).isEqualTo("The lighthouse\n\nBuilt in 1874 & still lit.");
            assertThat(EGRESS).anySatisfy(e -> {
                assertThat(e.refused()).isFalse();
                assertThat(e.host()).isEqualTo("web.test");
            });

            // Off the allowlist: plain http gets the proxy's 403 (a result, with the proxy's reason), https cannot tunnel.
            JsonNode denied = invoke(c, "web", "fetch", args().put("url", "http://denied.test:" + port + "/article"));
            assertThat(denied.at("/structured/status").asInt()).as(denied.toString()).isEqualTo(403);
            assertThat(denied.path("text").asText()).doesNotContain("lighthouse");
            JsonNode tunnel = invoke(c, "web", "fetch", args().put("url", "https://example.org/"));
            assertThat(tunnel.path("isError").asBoolean()).as(tunnel.toString()).isTrue();
            assertThat(tunnel.path("text").asText()).startsWith("FETCH_FAILED");
            assertThat(EGRESS).anySatisfy(e -> {
                assertThat(e.refused()).isTrue();
                assertThat(e.host()).isEqualTo("denied.test");
            }).anySatisfy(e -> {
                assertThat(e.refused()).isTrue();
                assertThat(e.host()).isEqualTo("example.org");
                assertThat(e.method()).isEqualTo("CONNECT");
            });

            // No search_url is configured, so search has no endpoint and says how to configure one.
            JsonNode search = invoke(c, "web", "search", args().put("query", "lighthouse"));
            assertThat(search.path("isError").asBoolean()).isTrue();
            assertThat(search.path("text").asText()).startsWith("NO_SEARCH_ENDPOINT");
        }
        assertThat(NETWORK_BY_SKILL.get("web")).as("the web skill is on its own egress network").isNotEqualTo("none");
    }
}

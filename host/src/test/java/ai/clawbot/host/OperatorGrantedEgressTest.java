package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.egress.EgressEvent;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12's acceptance for operator-granted egress, end to end: the bundled web skill, as built and signed, reaches
 * a loopback HTTP server on this host only because the operator granted its {@code 127.0.0.1:PORT} in
 * {@code plugins.entries.web.config.sites}; a real sandbox, the real egress proxy (with the system resolver, so
 * names are checked against internal addresses), {@code tools.invoke} over a real WebSocket. Without the grant the
 * proxy refuses and logs it; a name resolving to 127.0.0.1 is refused without {@code allowPrivate}; every config
 * change restarts the skill's container; an invalid value is refused with its JSON path and nothing is written.
 */
@ExtendWith(DockerRequired.class)
class OperatorGrantedEgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerClient DOCKER = DockerClients.create();
    private static final List<EgressEvent> EGRESS = new CopyOnWriteArrayList<>();
    private static final List<String> STARTED = new CopyOnWriteArrayList<>();
    private static final List<InspectContainerResponse> INSPECTED = new CopyOnWriteArrayList<>();
    private static final List<String> PROXY_LOG = new CopyOnWriteArrayList<>();
    private static final Logger PROXY_LOGGER = Logger.getLogger("ai.clawbot.host.sandbox.egress.EgressProxy");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            PROXY_LOG.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static HttpServer origin;
    private static int port;
    private static Path state;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        origin.createContext("/article", ex -> {
            byte[] body = "<html><head><title>Harbour notes</title></head><body><p>The lighthouse, 1874.</p></body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        origin.start();
        port = origin.getAddress().getPort();
        PROXY_LOGGER.addHandler(CAPTURE);

        state = Files.createTempDirectory("claw-grants");
        // The operator's choice, before the first start: the bundled web skill may reach this one loopback site.
        Files.writeString(state.resolve("openclaw.json"), """
                {"plugins": {"entries": {"web": {"config": {"sites": ["127.0.0.1:%d"]}}}}}
                """.formatted(port));
        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                if (call.skill().id().equals("web")) {
                    STARTED.add(containerId);
                    INSPECTED.add(DOCKER.inspectContainerCmd(containerId).exec());
                }
            }

            @Override
            public void egress(EgressEvent event) {
                EGRESS.add(event);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        PROXY_LOGGER.removeHandler(CAPTURE);
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.stop(0);
        }
        TestGateway.deleteTree(state);
    }

    @BeforeEach
    void clear() {
        EGRESS.clear();
        PROXY_LOG.clear();
    }

    private static JsonNode fetch(ProtocolClient c, String url) throws Exception {
        ObjectNode p = ProtocolClient.params().put("skill", "web").put("tool", "fetch");
        p.putObject("args").put("url", url);
        JsonNode res = c.request("tools.invoke", p);
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        return res.path("payload");
    }

    private static JsonNode patch(ProtocolClient c, String mergePatch) throws Exception {
        String hash = c.request("config.get", ProtocolClient.params()).at("/payload/hash").asText();
        return c.request("config.patch", ProtocolClient.params().put("baseHash", hash).set("patch", JSON.readTree(mergePatch)));
    }

    private static JsonNode web(ProtocolClient c) throws Exception {
        for (JsonNode s : c.request("skills.list", ProtocolClient.params()).at("/payload/skills")) {
            if (s.path("id").asText().equals("web")) {
                return s;
            }
        }
        throw new AssertionError("web is not loaded");
    }

    @Test
    void aGrantedLoopbackPeerIsReachedThroughTheProxyAndTheSameCallWithoutTheGrantIsRefused() throws Exception {
        String site = "http://127.0.0.1:" + port + "/article";
        String grant = "plugins.entries.web.config.sites";
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            // As at start (another test may have changed it): only 127.0.0.1:PORT granted.
            assertThat(patch(c, "{\"plugins\": {\"entries\": {\"web\": {\"config\": {\"sites\": [\"127.0.0.1:" + port
                    + "\"]}, \"grants\": null}}}}").path("ok").asBoolean()).isTrue();
            JsonNode listed = web(c);
            assertThat(listed.at("/granted/0/endpoint").asText()).isEqualTo("127.0.0.1:" + port);
            assertThat(listed.at("/granted/0/grant").asText()).isEqualTo(grant);
            assertThat(listed.at("/network/grants/0/setting").asText()).isEqualTo("sites");
            assertThat(listed.at("/settings/properties/sites/type").asText()).isEqualTo("array");

            JsonNode page = fetch(c, site);
            assertThat(page.path("isError").asBoolean()).as(page.toString()).isFalse();
            assertThat(page.at("/structured/status").asInt()).as(page.toString()).isEqualTo(200);
            assertThat(page.at("/structured/text").asText()).contains("The lighthouse, 1874.");
            assertThat(EGRESS).anySatisfy(e -> {
                assertThat(e.refused()).isFalse();
                assertThat(e.grant()).isEqualTo(grant);
            });
            assertThat(PROXY_LOG).anySatisfy(l -> assertThat(l).startsWith("INFO egress allowed by grant " + grant));
            // The settings reached the tool server as a read-only file, not on its command line or in its env.
            InspectContainerResponse first = INSPECTED.get(INSPECTED.size() - 1);
            assertThat(String.join(" ", first.getConfig().getCmd())).doesNotContain(String.valueOf(port)).doesNotContain("sites");
            assertThat(Arrays.toString(first.getConfig().getEnv())).doesNotContain(String.valueOf(port));
            assertThat(first.getMounts()).anySatisfy(m -> {
                assertThat(m.getDestination().getPath()).isEqualTo("/run/clawbot");
                assertThat(m.getRW()).isFalse();
            });

            // The same call without the grant (another site granted, so the container still has its proxy): the proxy
            // refuses it, and says so in its log. A new container serves it; the one that had the grant is gone.
            int before = STARTED.size();
            String oldId = STARTED.get(before - 1);
            JsonNode ok = patch(c, "{\"plugins\": {\"entries\": {\"web\": {\"config\": {\"sites\": [\"docs.example.com:443\"]}}}}}");
            assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
            assertThat(web(c).at("/granted/0/endpoint").asText()).isEqualTo("docs.example.com:443");
            EGRESS.clear();
            PROXY_LOG.clear();
            JsonNode denied = fetch(c, site);
            assertThat(denied.at("/structured/status").asInt()).as(denied.toString()).isEqualTo(403);
            assertThat(denied.toString()).doesNotContain("lighthouse");
            assertThat(EGRESS).isNotEmpty().allSatisfy(e -> assertThat(e.refused()).isTrue());
            assertThat(PROXY_LOG).anySatisfy(l -> assertThat(l).startsWith("WARNING egress refused").contains("127.0.0.1:" + port));
            assertThat(STARTED).hasSize(before + 1);
            assertThat(STARTED.get(before)).isNotEqualTo(oldId);
            assertThat(DOCKER.listContainersCmd().withIdFilter(List.of(oldId)).withShowAll(true).exec())
                    .as("the container that had the grant is gone").isEmpty();
        }
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedUntilTheOperatorAllowsPrivateAddresses() throws Exception {
        String site = "http://localhost:" + port + "/article";
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            assertThat(patch(c, "{\"plugins\": {\"entries\": {\"web\": {\"config\": {\"sites\": [\"localhost:" + port + "\"]},"
                    + " \"grants\": null}}}}").path("ok").asBoolean()).isTrue();
            JsonNode refused = fetch(c, site);
            assertThat(refused.at("/structured/status").asInt()).as(refused.toString()).isEqualTo(403);
            assertThat(EGRESS).anySatisfy(e -> {
                assertThat(e.reason()).isEqualTo(EgressEvent.Reason.INTERNAL_ADDRESS);
                assertThat(e.detail()).contains("127.0.0.1").contains("allowPrivate");
            });

            int before = STARTED.size();
            assertThat(patch(c, "{\"plugins\": {\"entries\": {\"web\": {\"grants\": {\"sites\": {\"allowPrivate\": true}}}}}}")
                    .path("ok").asBoolean()).isTrue();
            assertThat(web(c).at("/granted/0/allowPrivate").asBoolean()).isTrue();
            JsonNode page = fetch(c, site);
            assertThat(page.at("/structured/status").asInt()).as(page.toString()).isEqualTo(200);
            assertThat(STARTED).as("changing a grant restarts the skill's container").hasSize(before + 1);
        }
    }

    @Test
    void anInvalidValueIsRefusedWithItsJsonPathAndNothingIsWritten() throws Exception {
        Path file = state.resolve("openclaw.json");
        try (ProtocolClient c = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            byte[] before = Files.readAllBytes(file);
            JsonNode bad = patch(c, "{\"plugins\": {\"entries\": {\"web\": {\"config\": {\"sites\": [\"127.0.0.1:1\", \"no port here\"],"
                    + " \"search_url\": \"ftp://files.example\", \"colour\": \"red\"}}}}}");
            assertThat(bad.path("ok").asBoolean()).isFalse();
            assertThat(bad.at("/error/details/code").asText()).as(bad.toString()).isEqualTo("CONFIG_INVALID");
            List<String> paths = new ArrayList<>();
            bad.at("/error/details/problems").forEach(p -> paths.add(p.path("path").asText()));
            assertThat(paths).contains("$.plugins.entries.web.config.sites[1]", "$.plugins.entries.web.config.search_url",
                    "$.plugins.entries.web.config.colour");
            assertThat(Files.readAllBytes(file)).isEqualTo(before);

            JsonNode wrongGrant = patch(c, "{\"plugins\": {\"entries\": {\"web\": {\"grants\": {\"mail\": {\"allowPrivate\": true}}}}}}");
            assertThat(wrongGrant.at("/error/details/problems/0/path").asText()).as(wrongGrant.toString())
                    .isEqualTo("$.plugins.entries.web.grants.mail");
            assertThat(Files.readAllBytes(file)).isEqualTo(before);

            JsonNode schema = c.request("config.schema", ProtocolClient.params()).path("payload");
            assertThat(schema.at("/skills/web/settings/properties/search_url/format").asText()).isEqualTo("uri");
            assertThat(schema.at("/properties/plugins/properties/entries/properties/web/properties/config/properties/sites/type")
                    .asText()).isEqualTo("array");
        }
    }
}

package ai.clawbot.host.testkit;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.plugin.manifest.ManifestReader;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import ai.clawbot.testkit.contract.CallOutcome;
import ai.clawbot.testkit.contract.SandboxRunner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.jar.JarFile;

/**
 * The skill-testkit contract's {@link SandboxRunner} on the real gateway: a {@link TestGateway} over a fresh
 * state folder (the bundled plugins installed and verified as on a first run, plus any test plugin), calls
 * through {@code tools.invoke} on a real WebSocket, and the probe run with {@code docker exec} in the very
 * container the gateway started for the skill's last call (same user, namespaces, network, mounts, limits).
 * Each secret the skill declares is put in the vault with a fresh canary value first.
 */
public final class GatewaySandboxRunner implements SandboxRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerClient DOCKER = DockerClients.create();

    private final Path state;
    private final String skillId;
    private final byte[] manifestYaml;
    private final SkillManifest manifest;
    private final Map<String, String> secrets;
    private final Gateway gateway;
    private final ProtocolClient client;
    private volatile String lastContainer;

    private GatewaySandboxRunner(Path state, String skillId, byte[] manifestYaml, Map<String, String> secrets,
                                 UnaryOperator<SandboxSettings> tune) throws Exception {
        this.state = state;
        this.skillId = skillId;
        this.manifestYaml = manifestYaml;
        this.manifest = ManifestReader.read(new ByteArrayInputStream(manifestYaml));
        this.secrets = secrets;
        this.gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                if (call.skill().id().equals(skillId)) {
                    lastContainer = containerId;
                }
            }
        }, tune);
        this.client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN);
    }

    /** A runner for a skill the build bundles (obsidian, workspace, web). */
    public static GatewaySandboxRunner bundled(String skillId, UnaryOperator<SandboxSettings> tune) throws Exception {
        Path state = Files.createTempDirectory("claw-contract-" + skillId);
        Path jar = state.resolve("manifest-source.jar");
        TestGateway.copyBundled("plugins/" + skillId + ".jar", jar);
        byte[] yaml = manifestOf(jar);
        Files.delete(jar);
        return new GatewaySandboxRunner(state, skillId, yaml, canaries(state, yaml), tune);
    }

    /** A runner for a test plugin, built as a real jar (then as {@link #forJar}). */
    public static GatewaySandboxRunner plugin(TestPluginJar plugin) throws Exception {
        Path build = Files.createTempDirectory("claw-contract-build");
        try {
            return forJar(plugin.build(build));
        } finally {
            TestGateway.deleteTree(build);
        }
    }

    /**
     * A runner for a plugin jar built elsewhere (e.g. a plugin author's {@code target/my-skill.jar}): the jar is copied,
     * signed by a fresh key and that key trusted, in a throw-away state folder; the skill id is the manifest's.
     */
    public static GatewaySandboxRunner forJar(Path pluginJar) throws Exception {
        return forJar(pluginJar, UnaryOperator.identity());
    }

    /**
     * As {@link #forJar(Path)}, with the sandbox tuned and these tool patterns pre-approved
     * ({@code approvals.autoApprove}: for skills whose examples are {@code external} or {@code secret} calls).
     */
    public static GatewaySandboxRunner forJar(Path pluginJar, UnaryOperator<SandboxSettings> tune,
                                              String... preApproved) throws Exception {
        byte[] yaml = manifestOf(pluginJar);
        String id = ManifestReader.read(new ByteArrayInputStream(yaml)).id();
        Path state = Files.createTempDirectory("claw-contract-" + id);
        Path jar = Files.createDirectories(state.resolve("plugins")).resolve(id + ".jar");
        Files.copy(pluginJar, jar);
        KeyPair key = Keys.generate();
        TrustStore.open(state.resolve("trust")).add(key.getPublic(), "contract-" + id);
        Files.write(jar.resolveSibling(id + ".jar.sig"), PluginSigner.sign(Files.readAllBytes(jar),
                key.getPrivate(), key.getPublic(), Instant.now()).toBytes());
        if (preApproved.length > 0) {
            TestGateway.preApprove(state, preApproved);
        }
        return new GatewaySandboxRunner(state, id, yaml, canaries(state, yaml), tune);
    }

    private static byte[] manifestOf(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile()); InputStream in = j.getInputStream(j.getEntry(SkillManifest.JAR_ENTRY))) {
            return in.readAllBytes();
        }
    }

    private static Map<String, String> canaries(Path state, byte[] yaml) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> declared = ManifestReader.read(new ByteArrayInputStream(yaml)).permissions().secrets();
        if (declared.isEmpty()) {
            return out;
        }
        FileVault vault = FileVault.open(new StateDir(state), Map.of());
        for (String name : declared) {
            String value = "contract-canary-" + name + "-" + UUID.randomUUID();
            vault.set(name, value.getBytes(StandardCharsets.UTF_8));
            out.put(name, value);
        }
        return out;
    }

    @Override
    public byte[] manifest() {
        return manifestYaml.clone();
    }

    @Override
    public Path workspace() {
        try {
            return Files.createDirectories(new StateDir(state).workspace());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public CallOutcome call(String tool, JsonNode args) {
        ObjectNode p = ProtocolClient.params().put("skill", skillId).put("tool", tool);
        p.set("args", args);
        JsonNode res;
        try {
            res = client.request("tools.invoke", p);
        } catch (Exception e) {
            return new CallOutcome.Failed("NO_RESPONSE", "tools.invoke did not answer: " + e);
        }
        if (res.path("ok").asBoolean()) {
            JsonNode payload = res.path("payload");
            JsonNode structured = payload.path("structured");
            String container = payload.at("/sandbox/containerId").asText(null);
            return new CallOutcome.Answered(payload.path("text").asText(), structured.isObject() ? structured : null,
                    payload.path("isError").asBoolean(), container);
        }
        JsonNode details = res.at("/error/details");
        String code = details.path("code").asText(res.at("/error/code").asText());
        if (code.equals("TOOL_TIMEOUT")) {
            return new CallOutcome.TimedOut(manifest.permissions().resources().timeoutDuration(), details.path("containerId").asText(null));
        }
        return new CallOutcome.Failed(code, res.at("/error/message").asText());
    }

    @Override
    public JsonNode probe(List<String> args) throws IOException {
        String id = lastContainer;
        if (id == null || !running(id)) {
            throw new IOException("no live sandbox of " + skillId + " to probe");
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-Xss512k", "-cp", "/opt/claw/lib/*", "ai.clawbot.plugin.runtime.SandboxProbe"));
        cmd.addAll(args);
        String exec = DOCKER.execCreateCmd(id).withAttachStdout(true).withAttachStderr(true)
                .withCmd(cmd.toArray(String[]::new)).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            boolean done = DOCKER.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame f) {
                    (f.getStreamType() == StreamType.STDERR ? err : out).writeBytes(f.getPayload());
                }
            }).awaitCompletion(90, TimeUnit.SECONDS);
            if (!done) {
                throw new IOException("the probe did not finish in 90 s in " + id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Long rc = DOCKER.inspectExecCmd(exec).exec().getExitCodeLong();
        if (rc == null || rc != 0) {
            throw new IOException("the probe exited with " + rc + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return JSON.readTree(out.toByteArray());
    }

    @Override
    public boolean running(String sandboxId) {
        try {
            return Boolean.TRUE.equals(DOCKER.inspectContainerCmd(sandboxId).exec().getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public Map<String, String> forbiddenValues() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("gateway token", TestGateway.TOKEN);
        Path key = state.resolve("secrets").resolve("vault.key");
        try {
            if (Files.isRegularFile(key)) {
                byte[] raw = Files.readAllBytes(key);
                out.put("vault key (hex)", java.util.HexFormat.of().formatHex(raw));
                out.put("vault key (base64)", java.util.Base64.getEncoder().encodeToString(raw));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public Map<String, String> secretValues() {
        return Map.copyOf(secrets);
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
            gateway.close();
        } finally {
            TestGateway.deleteTree(state);
        }
    }
}

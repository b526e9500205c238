package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.EscapeSkillSource;
import ai.clawbot.host.testkit.ProtocolClient;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import ai.clawbot.signing.Sha256;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sandbox escape suite: every test runs real attack code inside a real hardened container through the
 * real dispatch path ({@code tools.invoke} over the gateway's WebSocket), asserts that the attempt failed
 * (the skill derives {@code escaped} from what it observed afterwards) and that the host is intact.
 * <p>
 * Skills, all built from {@link EscapeSkillSource} and signed with a trusted key in a temp folder:
 * {@code escape} (workspace rw, 20 s), {@code escapero} (workspace ro), {@code escapebomb} (small pids and
 * memory limits, for attacks that may get their container killed) and {@code escapeslow} (3 s deadline).
 */
@ExtendWith(DockerRequired.class)
class SandboxEscapeSuiteTest {

    private static final DockerClient DOCKER = DockerClients.create();

    private static final int BOMB_PIDS = 48;
    private static final long BOMB_MEMORY = 192L << 20;
    private static final String RO_EXISTING = "ro-existing.txt";

    private static final String TOOL = """
            tools:
              - name: attempt
                description: Run one named sandbox-escape attempt and report what happened (tests only).
                effect: write
                input:
                  type: object
                  required: [attack]
                  properties:
                    attack: {type: string}
                    arg: {type: string}
            sandbox: {image: clawbot/skill-jre:17}
            """;

    private static Path state;
    private static Path workspace;
    private static Path hostSecret;
    private static Path hostMarker;
    private static String secretValue;
    private static String markerValue;
    private static String passwdSha;
    private static String hostHostname;
    private static Gateway gateway;
    private static final Set<String> started = ConcurrentHashMap.newKeySet();

    private static String manifest(String id, String workspaceMode, String resources) {
        return "id: " + id + "\nversion: 1.0.0\ndescription: Tries to escape its sandbox (tests only).\n" + TOOL
                + "permissions:\n  workspace: " + workspaceMode + "\n  resources: " + resources + "\nnetwork: none\n";
    }

    @BeforeAll
    static void start() throws Exception {
        assertThat(Path.of("/escape")).as("precondition: no /escape on the host").doesNotExist();
        state = Files.createTempDirectory("claw-escape");
        Path plugins = state.resolve("plugins");
        Path trust = state.resolve("trust");
        TestPluginJar.of("escape", "1.0.0", manifest("escape", "rw", "{memory: 256m, cpus: 1, pids: 64, timeout: 20s}"),
                EscapeSkillSource.CLASS_NAME, EscapeSkillSource.SOURCE).buildSignedAndTrusted(plugins, trust, "escape-publisher");
        TestPluginJar.of("escapero", "1.0.0", manifest("escapero", "ro", "{memory: 256m, cpus: 1, pids: 64, timeout: 20s}"),
                EscapeSkillSource.CLASS_NAME, EscapeSkillSource.SOURCE).buildSignedAndTrusted(plugins, trust, "escape-publisher-ro");
        TestPluginJar.of("escapebomb", "1.0.0", manifest("escapebomb", "none",
                        "{memory: " + (BOMB_MEMORY >> 20) + "m, cpus: 1, pids: " + BOMB_PIDS + ", timeout: 20s}"),
                EscapeSkillSource.CLASS_NAME, EscapeSkillSource.SOURCE).buildSignedAndTrusted(plugins, trust, "escape-publisher-bomb");
        TestPluginJar.of("escapeslow", "1.0.0", manifest("escapeslow", "none", "{memory: 256m, cpus: 1, pids: 64, timeout: 3s}"),
                EscapeSkillSource.CLASS_NAME, EscapeSkillSource.SOURCE).buildSignedAndTrusted(plugins, trust, "escape-publisher-slow");

        // Host-side canaries: readable by anyone on the host, so only the sandbox boundary protects them.
        secretValue = "host-secret-" + UUID.randomUUID();
        hostSecret = state.resolve("host-secret.txt");
        Files.writeString(hostSecret, secretValue);
        Files.setPosixFilePermissions(hostSecret, PosixFilePermissions.fromString("rw-r--r--"));
        markerValue = "host-marker-" + UUID.randomUUID();
        hostMarker = state.resolve("host-marker.txt");
        Files.writeString(hostMarker, markerValue);
        Files.setPosixFilePermissions(hostMarker, PosixFilePermissions.fromString("rw-rw-rw-"));
        passwdSha = sha256(Path.of("/etc/passwd"));
        hostHostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

        gateway = TestGateway.start(state, new SandboxObserver() {
            @Override
            public void started(String containerId, SandboxCall call) {
                started.add(containerId);
            }
        });
        assertThat(gateway.catalog().refused()).isEmpty();
        // The gateway mounts $STATE/workspace; world-writable so the sandbox user (65534 under a root gateway)
        // can write, and a world-writable file so that only the ro mount protects it from escapero.
        workspace = state.resolve("workspace");
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(workspace.resolve(RO_EXISTING), "original");
        Files.setPosixFilePermissions(workspace.resolve(RO_EXISTING), PosixFilePermissions.fromString("rw-rw-rw-"));

        // Warm every skill once (the 3 s one must start within its deadline, so retry a cold start).
        for (String skill : List.of("escape", "escapero", "escapebomb")) {
            assertThat(attempt(skill, "noop", null).path("escaped").asBoolean()).isFalse();
        }
        JsonNode warm = null;
        for (int i = 0; i < 3 && (warm == null || !warm.path("ok").asBoolean()); i++) {
            warm = invoke("escapeslow", "noop", null);
        }
        assertThat(warm.path("ok").asBoolean()).as("escapeslow warm-up: %s", warm).isTrue();
    }

    @AfterEach
    void hostIsIntactAfterEveryAttack() throws Exception {
        assertHostIntact();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
                // Warm containers live until the gateway stops; then none of them may be left behind. Checked
                // for this gateway's own containers (its scope label, and every id it started), so that sandboxes
                // of other gateways running concurrently on this engine do not make the check flaky.
                String scope = Sha256.hex(state.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
                List<Container> left = DOCKER.listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of("ai.clawbot.sandbox", "1")).exec().stream()
                        .filter(c -> scope.equals(c.getLabels().get("ai.clawbot.scope")) || started.contains(c.getId()))
                        .toList();
                assertThat(left).as("sandbox containers left behind").isEmpty();
                assertThat(started).as("containers were started").isNotEmpty();
                for (String id : started) {
                    assertThat(containerGone(id)).as("container %s removed", id).isTrue();
                }
            }
        } finally {
            TestGateway.deleteTree(state);
        }
    }

    // ------------------------------------------------------------------------------------------ file system

    @Test
    void writingToTheReadOnlyRootFileSystemFails() throws Exception {
        assertContained(attempt("escape", "rootfs", null));
    }

    @Test
    void writingOutsideTheWorkspaceWithDotDotFails() throws Exception {
        assertContained(attempt("escape", "dotdot", null));
        // On the host, /workspace/.. is the state folder: nothing may have appeared there.
        assertThat(state.resolve("escape")).doesNotExist();
        assertThat(state.resolve("escape-sh")).doesNotExist();
        assertThat(state.resolve("escape-sh2")).doesNotExist();
    }

    @Test
    void writingThroughAWorkspaceSymlinkToEtcPasswdFails() throws Exception {
        try {
            assertContained(attempt("escape", "symlink-passwd", null));
            assertThat(sha256(Path.of("/etc/passwd"))).as("host /etc/passwd").isEqualTo(passwdSha);
            assertThat(Path.of("/etc/escape")).doesNotExist();
        } finally {
            Files.deleteIfExists(workspace.resolve("link-passwd"));
            Files.deleteIfExists(workspace.resolve("link-etc"));
        }
    }

    @Test
    void writingThroughAWorkspaceSymlinkToAHostPathFails() throws Exception {
        try {
            assertContained(attempt("escape", "symlink-host", hostMarker.toString()));
            assertThat(Files.readString(hostMarker)).isEqualTo(markerValue);
            assertThat(state.resolve("escape")).doesNotExist();
            assertThat(state.resolve("escape-sh")).doesNotExist();
        } finally {
            Files.deleteIfExists(workspace.resolve("link-host"));
            Files.deleteIfExists(workspace.resolve("link-hostdir"));
        }
    }

    @Test
    void aHostFileCannotBeReadByItsHostPath() throws Exception {
        JsonNode s = attempt("escape", "readhost-path", hostSecret.toString());
        assertContained(s);
        assertThat(s.toString()).doesNotContain(secretValue);
    }

    @Test
    void aHostFileCannotBeReadThroughProcRoot() throws Exception {
        JsonNode s = attempt("escape", "readhost-proc", hostSecret.toString());
        assertContained(s);
        assertThat(s.toString()).doesNotContain(secretValue);
        assertThat(s.path("evidence").asText()).as("pid 1 is the sandbox's own tool server").contains("ToolServerMain");
    }

    @Test
    void thePluginJarMountIsReadOnly() throws Exception {
        Path hostJar = hostSource(containerOf("escape"), "/opt/claw/plugin/plugin.jar");
        String before = sha256(hostJar);
        JsonNode s = attempt("escape", "pluginjar", null);
        assertContained(s);
        assertThat(sha256(hostJar)).as("the verified jar on the host").isEqualTo(before);
        assertThat(s.at("/data/sha256").asText()).isEqualTo(before);
        // The skill still loads and runs from the same jar.
        assertThat(attempt("escape", "noop", null).path("escaped").asBoolean()).isFalse();
    }

    @Test
    void theRuntimeLibraryMountIsReadOnly() throws Exception {
        Path hostLib = hostSource(containerOf("escape"), "/opt/claw/lib");
        Map<String, String> before = hashes(hostLib);
        JsonNode s = attempt("escape", "runtimelib", null);
        assertContained(s);
        assertThat(s.at("/data/jars").asInt()).isEqualTo(before.size());
        assertThat(hashes(hostLib)).as("runtime jars on the host").isEqualTo(before);
    }

    @Test
    void fillingTmpStopsAtItsTmpfsLimitAndNeverTouchesTheHostDisk() throws Exception {
        JsonNode s = attempt("escape", "tmpfill", null);
        assertContained(s);
        assertThat(s.at("/data/error").asText()).contains("No space left on device");
        assertThat(s.at("/data/size").asLong()).isLessThanOrEqualTo(64L << 20);
        // Read-only root: the container's writable layer on the host disk stays empty.
        Long sizeRw = DOCKER.inspectContainerCmd(containerOf("escape")).withSize(true).exec().getSizeRw();
        assertThat(sizeRw == null ? 0L : sizeRw).as("container writable layer bytes").isLessThan(64L * 1024);
    }

    @Test
    void tmpIsNoexec() throws Exception {
        assertContained(attempt("escape", "tmpexec", null));
    }

    @Test
    void theReadOnlyWorkspaceMountCannotBeWritten() throws Exception {
        List<String> before = listing(workspace);
        String content = Files.readString(workspace.resolve(RO_EXISTING));
        assertContained(attempt("escapero", "rowrite", RO_EXISTING));
        assertThat(listing(workspace)).as("host workspace entries").isEqualTo(before);
        assertThat(Files.readString(workspace.resolve(RO_EXISTING))).isEqualTo(content);
    }

    // ------------------------------------------------------------------------------------------ network

    @Test
    void theInternetIsUnreachableByHostname() throws Exception {
        assertContained(attempt("escape", "internet", "example.com:80"));
    }

    @Test
    void theHostsGatewayPortIsUnreachableOnLoopback() throws Exception {
        assertContained(attempt("escape", "gateway", String.valueOf(gateway.port())));
    }

    @Test
    void theDockerSocketIsAbsentAndUnconnectable() throws Exception {
        assertContained(attempt("escape", "dockersock", null));
    }

    @Test
    void anotherContainerCannotBeResolvedByName() throws Exception {
        // Real neighbours: the escapero and escapebomb sandboxes (by container name and hostname) and any other
        // container on this engine.
        List<String> names = new ArrayList<>();
        for (String skill : List.of("escapero", "escapebomb")) {
            InspectContainerResponse c = DOCKER.inspectContainerCmd(containerOf(skill)).exec();
            names.add(c.getName().replaceFirst("^/", ""));
            names.add(c.getConfig().getHostName());
        }
        DOCKER.listContainersCmd().exec().stream().limit(5)
                .forEach(c -> Stream.of(c.getNames()).forEach(n -> names.add(n.replaceFirst("^/", ""))));
        JsonNode s = attempt("escape", "resolve", String.join(",", names.stream().distinct().toList()));
        assertContained(s);
    }

    @Test
    void dnsForAnArbitraryNameFails() throws Exception {
        assertContained(attempt("escape", "resolve", "example.org,dns.google,www.debian.org"));
    }

    @Test
    void onlyTheLoopbackInterfaceExists() throws Exception {
        JsonNode s = attempt("escape", "ifaces", null);
        assertContained(s);
        assertThat(s.at("/data/ifaces").asText()).isEqualTo("lo");
    }

    @Test
    void rawSocketsCannotBeOpened() throws Exception {
        assertContained(attempt("escape", "rawsocket", null));
    }

    // ------------------------------------------------------------------------------------------ privileges

    @Test
    void setuidBinariesGiveNoRoot() throws Exception {
        JsonNode s = attempt("escape", "setuid", null);
        assertContained(s);
        assertThat(s.at("/data/NoNewPrivs").asText()).isEqualTo("1");
        assertThat(s.at("/data/setuidBinaries").asInt()).as("the image has setuid binaries to try").isPositive();
    }

    @Test
    void noCapabilityCanBeRegained() throws Exception {
        JsonNode s = attempt("escape", "caps", null);
        assertContained(s);
        assertThat(s.at("/data/CapEff").asText()).isEqualTo("0000000000000000");
        assertThat(s.at("/data/CapBnd").asText()).isEqualTo("0000000000000000");
    }

    @Test
    void mountFails() throws Exception {
        assertContained(attempt("escape", "mount", null));
    }

    @Test
    void chownToRootFails() throws Exception {
        assertContained(attempt("escape", "chown", null));
        assertThat(workspace.resolve("own-test")).doesNotExist();
    }

    @Test
    void mknodFails() throws Exception {
        JsonNode s = attempt("escape", "mknod", null);
        assertContained(s);
        assertThat(s.at("/data/controlFifo").asBoolean()).as("control: the shell itself works").isTrue();
        assertThat(workspace.resolve("n")).doesNotExist();
    }

    @Test
    void settingTheHostnameFails() throws Exception {
        assertContained(attempt("escape", "hostname", null));
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).isEqualTo(hostHostname);
    }

    @Test
    void loadingAKernelModuleFails() throws Exception {
        assertContained(attempt("escape", "module", null));
    }

    @Test
    void writingProcSysFails() throws Exception {
        assertContained(attempt("escape", "procsys", null));
    }

    @Test
    void writingSysrqTriggerFails() throws Exception {
        assertContained(attempt("escape", "sysrq", null));
    }

    @Test
    void cgroupLimitsCannotBeRaisedFromInside() throws Exception {
        JsonNode s = attempt("escapebomb", "cgroup", null);
        assertContained(s);
        assertThat(s.at("/data/pidsMax").asText()).isEqualTo(String.valueOf(BOMB_PIDS));
        assertThat(s.at("/data/memoryLimit").asText()).isEqualTo(String.valueOf(BOMB_MEMORY));
    }

    @Test
    void hostProcessesAreInvisibleAndCannotBePtraced() throws Exception {
        List<Long> hostPids = new ArrayList<>();
        hostPids.add(ProcessHandle.current().pid()); // the gateway (this test JVM)
        // dockerd, containerd and the containerd shims (one of them runs this very sandbox), when they share
        // this test's pid namespace (not so with rootless Docker or a Docker VM)
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("dockerd") || c.contains("containerd")).orElse(false))
                .limit(20)
                .forEach(p -> hostPids.add(p.pid()));
        JsonNode s = attempt("escape", "ptrace", hostPids.stream().map(String::valueOf).collect(Collectors.joining(",")));
        assertContained(s);
        assertThat(s.at("/data/visibleProcesses").asInt()).as("only the sandbox's own few processes").isBetween(1, 6);
        assertThat(s.path("evidence").asText()).doesNotContain("dockerd").doesNotContain("surefire");
    }

    @Test
    void hostDevicesAreAbsentOrUnreadable() throws Exception {
        assertContained(attempt("escape", "devices", null));
    }

    @Test
    void aUserNamespaceCannotBeCreated() throws Exception {
        assertContained(attempt("escape", "userns", null));
    }

    @Test
    void chrootPivotRootAndNsenterFail() throws Exception {
        assertContained(attempt("escape", "chroot", null));
    }

    @Test
    void theEnvironmentHoldsNoGatewayTokenOrOpenclawVariables() throws Exception {
        JsonNode s = attempt("escape", "env", null);
        assertContained(s);
        assertThat(s.toString()).doesNotContain(TestGateway.TOKEN).doesNotContain("OPENCLAW");
        assertThat(s.at("/data/envKeys").asText()).doesNotContainIgnoringCase("token");
    }

    // ------------------------------------------------------------------------------------------ resources

    @Test
    void aForkBombIsBoundedByThePidsLimit() throws Exception {
        JsonNode res = invoke("escapebomb", "forkbomb", "4");
        if (res.path("ok").asBoolean()) {
            JsonNode s = structured(res);
            assertContained(s);
            JsonNode d = s.path("data");
            assertThat(d.path("max").asText()).isEqualTo(String.valueOf(BOMB_PIDS));
            assertThat(Long.parseLong(d.path("peakTasks").asText())).isLessThanOrEqualTo(BOMB_PIDS);
            assertThat(Long.parseLong(d.path("peak").asText())).isLessThanOrEqualTo(BOMB_PIDS);
            assertThat(Long.parseLong(d.path("peakProcs").asText())).isLessThanOrEqualTo(BOMB_PIDS);
            // pids.events "max N": N forks were refused by the limit, so the bomb really ran into it.
            assertThat(d.path("events").asText()).startsWith("max_");
            assertThat(Long.parseLong(d.path("events").asText().substring(4))).as("forks refused by the limit").isPositive();
            String id = res.at("/payload/sandbox/containerId").asText();
            assertThat(DOCKER.inspectContainerCmd(id).exec().getHostConfig().getPidsLimit()).isEqualTo((long) BOMB_PIDS);
        } else {
            // The bomb may take the tool server down with it: then the call fails and its container is gone.
            assertThat(res.at("/error/details/code").asText()).as(res.toString()).isIn("TOOL_TIMEOUT", "TOOL_SERVER_FAILED");
            assertKilled(res);
        }
        // The next call works (the same container, or a fresh one) and the host can still fork.
        assertThat(attempt("escapebomb", "noop", null).path("escaped").asBoolean()).isFalse();
        assertThat(new ProcessBuilder("true").start().waitFor()).isZero();
    }

    @Test
    void aMemoryBombIsKilledAtTheMemoryLimit() throws Exception {
        JsonNode res = invoke("escapebomb", "membomb", null);
        if (res.path("ok").asBoolean()) {
            JsonNode s = structured(res);
            assertContained(s);
            JsonNode d = s.path("data");
            assertThat(d.path("rc").asInt()).as("perl did not finish its allocation").isNotZero();
            assertThat(d.path("limit").asText()).isEqualTo(String.valueOf(BOMB_MEMORY));
            assertThat(Long.parseLong(d.path("failcnt").asText()) + Long.parseLong(d.path("oomKills").asText()))
                    .as("the memory limit was hit").isPositive();
            String id = res.at("/payload/sandbox/containerId").asText();
            assertThat(DOCKER.inspectContainerCmd(id).exec().getHostConfig().getMemory()).isEqualTo(BOMB_MEMORY);
        } else {
            assertThat(res.at("/error/details/code").asText()).as(res.toString()).isIn("TOOL_SERVER_FAILED", "TOOL_TIMEOUT");
            assertKilled(res);
        }
        assertThat(attempt("escapebomb", "noop", null).path("escaped").asBoolean()).isFalse();
    }

    @Test
    void aCpuSpinPastTheDeadlineIsKilledAsATimeout() throws Exception {
        long t0 = System.nanoTime();
        JsonNode res = invoke("escapeslow", "spin", null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
        assertThat(res.at("/error/details/code").asText()).isEqualTo("TOOL_TIMEOUT");
        assertThat(res.at("/error/message").asText()).contains("3000 ms");
        assertThat(ms).as("killed at the 3 s deadline").isLessThan(15_000);
        assertKilled(res);
    }

    @Test
    void anOutputFloodOnStdoutIsCutOffAndItsContainerKilled() throws Exception {
        JsonNode res = invoke("escapebomb", "flood", String.valueOf(25_000_000));
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isFalse();
        assertThat(res.at("/error/details/code").asText()).isEqualTo("OUTPUT_LIMIT");
        assertKilled(res);
        assertThat(attempt("escapebomb", "noop", null).path("escaped").asBoolean()).isFalse();
    }

    @Test
    void aStderrFloodDoesNotFillTheHostDiskThroughContainerLogs() throws Exception {
        long bytes = 32L << 20;
        JsonNode res = invoke("escapebomb", "stderrflood", String.valueOf(bytes));
        if (!res.path("ok").asBoolean()) {
            assertKilled(res); // cutting the sandbox off is an acceptable defence
            return;
        }
        String id = res.at("/payload/sandbox/containerId").asText();
        InspectContainerResponse c = DOCKER.inspectContainerCmd(id).exec();
        String logType = c.getHostConfig().getLogConfig() == null || c.getHostConfig().getLogConfig().getType() == null
                ? "?" : c.getHostConfig().getLogConfig().getType().getType();
        long logBytes = c.getLogPath() == null || c.getLogPath().isBlank() || !Files.exists(Path.of(c.getLogPath()))
                ? 0 : Files.size(Path.of(c.getLogPath()));
        assertThat(logBytes)
                .as("bytes the engine wrote to the host disk for %d bytes of sandbox stderr, written in %d ms"
                        + " (log driver %s, %s)", bytes, res.at("/payload/structured/data/ms").asLong(), logType, c.getLogPath())
                .isLessThan(16L << 20);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static JsonNode invoke(String skill, String attack, String arg) throws Exception {
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            ObjectNode params = ProtocolClient.params().put("skill", skill).put("tool", "attempt");
            ObjectNode args = params.putObject("args").put("attack", attack);
            if (arg != null) {
                args.put("arg", arg);
            }
            return client.request("tools.invoke", params);
        }
    }

    /** Runs an attack that must complete, and returns its structured report. */
    private static JsonNode attempt(String skill, String attack, String arg) throws Exception {
        return structured(invoke(skill, attack, arg));
    }

    private static JsonNode structured(JsonNode res) {
        assertThat(res.path("ok").asBoolean()).as("the call failed: %s", res).isTrue();
        assertThat(res.at("/payload/isError").asBoolean()).as("tool error: %s", res).isFalse();
        JsonNode s = res.at("/payload/structured");
        assertThat(s.path("harnessError").isMissingNode())
                .as("the attack could not be run: %s", s.path("harnessError").asText()).isTrue();
        return s;
    }

    private static void assertContained(JsonNode s) {
        if (Boolean.getBoolean("claw.escape.verbose")) {
            System.out.printf("---- %s: escaped=%s%n%s%s%n", s.path("attack").asText(), s.path("escaped").asText(),
                    s.path("evidence").asText(), s.path("data"));
        }
        assertThat(s.path("escaped").isBoolean()).as("report: %s", s).isTrue();
        assertThat(s.path("escaped").asBoolean())
                .as("SANDBOX ESCAPE by attack '%s':%n%s", s.path("attack").asText(), s.path("evidence").asText())
                .isFalse();
    }

    /** The container of a failed call was killed and removed. */
    private static void assertKilled(JsonNode res) {
        String id = res.at("/error/details/containerId").asText();
        assertThat(id).as("the error names the container: %s", res).isNotBlank();
        assertThat(DOCKER.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec()).isEmpty();
    }

    private static void assertHostIntact() throws Exception {
        assertThat(sha256(Path.of("/etc/passwd"))).as("host /etc/passwd").isEqualTo(passwdSha);
        assertThat(Files.readString(hostMarker)).as("host marker file").isEqualTo(markerValue);
        assertThat(Files.readString(hostSecret)).as("host secret file").isEqualTo(secretValue);
        assertThat(Path.of("/escape")).as("host /escape").doesNotExist();
        assertThat(Files.exists(state.resolve("escape"), LinkOption.NOFOLLOW_LINKS)).as("$STATE/escape").isFalse();
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).as("host hostname").isEqualTo(hostHostname);
        try (ProtocolClient client = ProtocolClient.connect(gateway.webSocketUri(), TestGateway.TOKEN)) {
            JsonNode health = client.request("health");
            assertThat(health.path("ok").asBoolean()).as("gateway health: %s", health).isTrue();
        }
    }

    /** The warm container of a skill (by its labels), starting one with a harmless call if needed. */
    private static String containerOf(String skill) throws Exception {
        JsonNode res = invoke(skill, "noop", null);
        assertThat(res.path("ok").asBoolean()).as(res.toString()).isTrue();
        return res.at("/payload/sandbox/containerId").asText();
    }

    /** The host path bind-mounted at a container path. */
    private static Path hostSource(String containerId, String destination) {
        return DOCKER.inspectContainerCmd(containerId).exec().getMounts().stream()
                .filter(m -> m.getDestination() != null && destination.equals(m.getDestination().getPath()))
                .map(m -> Path.of(m.getSource()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount at " + destination));
    }

    private static boolean containerGone(String id) {
        try {
            DOCKER.inspectContainerCmd(id).exec();
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), sha256(p));
            }
        }
        return out;
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(Path p) throws Exception {
        return Sha256.hex(Files.readAllBytes(p));
    }
}

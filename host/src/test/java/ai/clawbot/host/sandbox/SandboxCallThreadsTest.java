package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The threads of a sandbox call, on real containers: a virtual caller hands the call to one platform thread, which
 * does all of it (the MCP request included); an interrupted caller gets INTERRUPTED and the container is removed;
 * a call past its deadline is reported as timed out and its container removed.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxCallThreadsTest {

    private static final DockerClient DOCKER = DockerClients.create();

    private static final String MANIFEST = """
            id: %s
            version: 1.0.0
            description: Naps (tests only).
            tools:
              - name: nap
                description: Write a marker file into the workspace, then sleep.
                effect: write
                input: {type: object, required: [ms, marker], properties: {ms: {type: integer}, marker: {type: string}}}
            sandbox: {image: clawbot/skill-jre:17}
            permissions:
              workspace: rw
              resources: {memory: 256m, cpus: 1, pids: 64, timeout: %s}
            network: none
            """;

    private static final String SOURCE = """
            package nap;

            import ai.clawbot.plugin.api.*;
            import java.nio.file.Files;
            import java.util.Map;

            public class NapSkill implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of("nap", (args, ctx) -> {
                        try {
                            Files.writeString(ctx.workspace().resolve(args.path("marker").asText()), "napping");
                            Thread.sleep(args.path("ms").asLong());
                        } catch (Exception e) {
                            return ToolResult.text("woken: " + e);
                        }
                        return ToolResult.text("slept");
                    });
                }
            }
            """;

    private Path state;
    private Path workspace;
    private SkillCatalog catalog;
    private DockerSandbox sandbox;
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    /** Runs on the thread that started a container, right after the engine started it (a test's hook). */
    private volatile java.util.function.Consumer<String> onStarted = id -> { };

    @BeforeAll
    void start() throws Exception {
        state = Files.createTempDirectory("claw-callthreads");
        TestPluginJar.of("nap", "1.0.0", MANIFEST.formatted("nap", "60s"), "nap.NapSkill", SOURCE)
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "nap-publisher");
        TestPluginJar.of("napshort", "1.0.0", MANIFEST.formatted("napshort", "4s"), "nap.NapSkill", SOURCE)
                .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), "napshort-publisher");
        workspace = Files.createDirectories(state.resolve("workspace"));
        // the sandbox user is not root: it may write the markers
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxrwx"));
        StateDir dir = new StateDir(state);
        dir.ensureRoot();
        catalog = SkillCatalog.load(dir);
        assertThat(catalog.refused()).isEmpty();
        sandbox = DockerSandbox.create(DOCKER, SandboxSettings.detect(System.getenv(), "callthreads" + System.nanoTime())
                .withPool(4, Duration.ofMinutes(5)), new SandboxObserver() {
                    @Override
                    public void started(String containerId, SandboxCall call) {
                        onStarted.accept(containerId);
                    }

                    @Override
                    public void removed(String containerId) {
                        removed.add(containerId);
                    }
                });
    }

    @AfterAll
    void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        TestGateway.deleteTree(state);
    }

    private SandboxCall nap(String skill, long ms, String marker) {
        LoadedSkill s = catalog.find(skill).orElseThrow();
        return new SandboxCall("default", "threads", s, "nap",
                JsonNodeFactory.instance.objectNode().put("ms", ms).put("marker", marker), workspace, Map.of());
    }

    private static String containerOf(ToolOutcome o) {
        assertThat(o).as(o.toString()).isInstanceOf(ToolOutcome.Ok.class);
        return ((ToolOutcome.Ok) o).run().containerId();
    }

    private static boolean exists(String id) {
        return !DOCKER.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec().isEmpty();
    }

    /** A call's outcome on a virtual thread, with whether the thread's interrupt flag was still set after it. */
    private record Result(ToolOutcome outcome, boolean interruptFlag) {
    }

    private CompletableFuture<Result> callOnVirtualThread(SandboxCall call, Thread[] caller) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        caller[0] = Thread.ofVirtual().name("test-caller").start(() -> {
            try {
                ToolOutcome o = sandbox.call(call);
                result.complete(new Result(o, Thread.currentThread().isInterrupted()));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Waits for the tool to write its marker: from then on the call is in the tool server. */
    private void awaitMarker(String marker, CompletableFuture<Result> call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(workspace.resolve(marker))) {
            assertThat(call).as("the call ended before the tool started: %s", call).isNotDone();
            assertThat(System.nanoTime()).as("the tool never started").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Platform threads of a sandbox pool that are running a call right now (not idle in the pool). */
    private static List<Thread> busySandboxThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("sandbox-call-"))
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("ai.clawbot.host.sandbox.")))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Test
    void aCallRunsOnOnePlatformThreadAndAnInterruptedCallerGetsInterruptedWithItsContainerRemoved() throws Exception {
        String warm = containerOf(sandbox.call(nap("nap", 0, "warm")));
        Thread[] caller = new Thread[1];
        CompletableFuture<Result> call = callOnVirtualThread(nap("nap", 50_000, "interrupted"), caller);
        awaitMarker("interrupted", call);

        assertThat(busySandboxThreads()).as("one platform thread does the whole call, its MCP request included")
                .hasSize(1);

        caller[0].interrupt();
        Result r = call.get(10, TimeUnit.SECONDS);
        assertThat(r.outcome()).as(r.outcome().toString()).isInstanceOfSatisfying(ToolOutcome.Failed.class,
                f -> assertThat(f.code()).isEqualTo("INTERRUPTED"));
        assertThat(r.interruptFlag()).as("the caller's interrupt is kept").isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!removed.contains(warm) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(removed).as("the interrupted call's container is released and removed").contains(warm);
        assertThat(exists(warm)).isFalse();
        while (!busySandboxThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // the platform thread returns from the call it released
        }
        assertThat(busySandboxThreads()).as("nothing of the call is left running").isEmpty();

        String next = containerOf(sandbox.call(nap("nap", 0, "after")));
        assertThat(next).as("the next call gets a fresh container").isNotEqualTo(warm);
    }

    /**
     * The interrupt lands while the container starts (here: on the starting thread, right after the engine started
     * it, while the tool server initializes): the call is INTERRUPTED and the half-started container is removed then,
     * not left until the next gateway start (the engine's client refused to remove it on the interrupted thread).
     */
    @Test
    void anInterruptDuringAColdStartRemovesTheHalfStartedContainer() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> started = new java.util.concurrent.atomic.AtomicReference<>();
        onStarted = id -> {
            started.set(id);
            // The caller's cancel(true) lands while an engine call is under way, and that call fails of it: the
            // start is abandoned with the thread's interrupt flag still set.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the engine call was interrupted");
        };
        ToolOutcome o;
        try {
            o = callOnVirtualThread(new SandboxCall("default", "coldstart", catalog.find("nap").orElseThrow(), "nap",
                    JsonNodeFactory.instance.objectNode().put("ms", 0).put("marker", "cold"), workspace, Map.of()),
                    new Thread[1]).get(60, TimeUnit.SECONDS).outcome();
        } finally {
            onStarted = id -> { };
        }
        assertThat(o).as(o.toString()).isInstanceOf(ToolOutcome.Failed.class);
        assertThat(started.get()).as("the container was started").isNotNull();
        assertThat(removed).as("removed as the start was abandoned").contains(started.get());
        assertThat(exists(started.get())).isFalse();
    }

    @Test
    void aCallPastItsDeadlineTimesOutAndItsContainerIsRemoved() throws Exception {
        // Warm first: the 4 s deadline counts from the call's start, a cold start included.
        ToolOutcome first = sandbox.call(nap("napshort", 0, "warmshort"));
        if (first instanceof ToolOutcome.TimedOut) {
            first = sandbox.call(nap("napshort", 0, "warmshort"));
        }
        String warm = containerOf(first);
        long t0 = System.nanoTime();
        ToolOutcome o = sandbox.call(nap("napshort", 60_000, "timedout"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(o).as(o.toString()).isInstanceOfSatisfying(ToolOutcome.TimedOut.class,
                t -> assertThat(t.run().containerId()).isEqualTo(warm));
        assertThat(ms).as("ended at the 4 s deadline, not after the 60 s nap").isBetween(3_900L, 15_000L);
        assertThat(removed).as("removed before the outcome is returned").contains(warm);
        assertThat(exists(warm)).isFalse();
    }
}

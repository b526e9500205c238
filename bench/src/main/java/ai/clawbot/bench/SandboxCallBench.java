package ai.clawbot.bench;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.DockerSandbox;
import ai.clawbot.host.sandbox.SandboxCall;
import ai.clawbot.host.sandbox.SandboxImages;
import ai.clawbot.host.sandbox.SandboxObserver;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.sandbox.ToolOutcome;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sandbox call cost, each against a baseline measured in the same run (a load client, not a test):
 * <ul>
 * <li>warm call (MCP request to a running tool server) vs {@code docker exec true} in the same container;</li>
 * <li>cold call (hardened create + start + JVM + MCP initialize + call) vs a plain {@code docker run} of the
 *     same image running the same tool server for the same request, with no hardening flags.</li>
 * </ul>
 * {@code ./bench/run-sandbox.sh [warmCalls] [coldCalls]}; needs Docker and the sandbox image.
 */
public final class SandboxCallBench {

    public static void main(String[] args) throws Exception {
        int warmN = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int coldN = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path root = Files.createTempDirectory("claw-sandbox-bench");
        StateDir state = new StateDir(root);
        state.ensureRoot();
        copy("/bundled/trust/dev-publisher.pem", state.trust().resolve("keys/dev-publisher.pem"));
        copy("/bundled/plugins/obsidian.jar", state.plugins().resolve("obsidian.jar"));
        copy("/bundled/plugins/obsidian.jar.sig", state.plugins().resolve("obsidian.jar.sig"));
        Path ws = Files.createDirectories(state.workspace());
        for (int i = 0; i < 50; i++) {
            Files.writeString(ws.resolve("note" + i + ".md"), "line one\nsome text about benchmarks " + i + "\n");
        }
        DockerClient docker = DockerClients.create();
        SandboxSettings settings = SandboxSettings.detect(System.getenv(), "bench" + System.nanoTime(), root)
                .withPool(64, Duration.ofMinutes(10));
        JsonNode args0 = new ObjectMapper().readTree("{\"query\":\"benchmarks\"}");
        try (SkillCatalog catalog = SkillCatalog.load(state);
             DockerSandbox sandbox = DockerSandbox.create(docker, settings, SandboxObserver.NONE)) {
            LoadedSkill obsidian = catalog.find("obsidian").orElseThrow();

            // Warm.
            ToolOutcome first = sandbox.call(new SandboxCall("bench", "warm", obsidian, "search_content", args0, ws, Map.of()));
            String id = ((ToolOutcome.Ok) first).run().containerId();
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < warmN; i++) {
                long t = System.nanoTime();
                ToolOutcome o = sandbox.call(new SandboxCall("bench", "warm", obsidian, "search_content", args0, ws, Map.of()));
                warm.add(System.nanoTime() - t);
                if (!(o instanceof ToolOutcome.Ok)) {
                    throw new IllegalStateException(o.toString());
                }
            }
            List<Long> exec = new ArrayList<>();
            for (int i = 0; i < Math.min(warmN, 50); i++) {
                long t = System.nanoTime();
                String execId = docker.execCreateCmd(id).withCmd("true").withAttachStdout(true).exec().getId();
                docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(30, TimeUnit.SECONDS);
                exec.add(System.nanoTime() - t);
            }

            // What a warm call asked the engine before reuse until the pool pinged the container's stdio instead.
            List<Long> inspect = new ArrayList<>();
            for (int i = 0; i < Math.min(warmN, 100); i++) {
                long t = System.nanoTime();
                docker.inspectContainerCmd(id).exec();
                inspect.add(System.nanoTime() - t);
            }
            System.out.printf("%ndocker inspect p50 %6.1f ms  p90 %6.1f ms  (n=%d, the engine check warm calls no longer make)",
                    ms(p(inspect, 50)), ms(p(inspect, 90)), inspect.size());
            System.out.printf("%nwarm call      p50 %6.1f ms  p90 %6.1f ms  (n=%d)%n", ms(p(warm, 50)), ms(p(warm, 90)), warm.size());
            System.out.printf("docker exec    p50 %6.1f ms  p90 %6.1f ms  (n=%d, baseline)%n", ms(p(exec, 50)), ms(p(exec, 90)), exec.size());
            System.out.printf("  warm / exec = %.2f  (target: warm p50 <= 20 ms)%n", (double) p(warm, 50) / p(exec, 50));

            // Cold: a new session scope per call, so every call starts its own container.
            List<Long> cold = new ArrayList<>();
            for (int i = 0; i < coldN; i++) {
                long t = System.nanoTime();
                ToolOutcome o = sandbox.call(new SandboxCall("bench", "cold" + i, obsidian, "search_content", args0, ws, Map.of()));
                cold.add(System.nanoTime() - t);
                if (!(o instanceof ToolOutcome.Ok)) {
                    throw new IllegalStateException(o.toString());
                }
            }
            // The manifest names an image family; the same local image the sandbox resolved it to.
            String imageId = switch (SandboxImages.resolve(docker, obsidian.manifest().sandbox().image())) {
                case SandboxImages.Resolution.Ready ready -> ready.imageId();
                case SandboxImages.Resolution.Unavailable why -> throw new IllegalStateException(why.message());
            };
            List<Long> plain = new ArrayList<>();
            for (int i = 0; i < coldN; i++) {
                plain.add(plainDockerRun(settings.runtimeLib(), obsidian.verifiedJar(), ws, imageId));
            }

            System.out.printf("cold call      p50 %6.1f ms  (n=%d)%n", ms(p(cold, 50)), cold.size());
            System.out.printf("plain docker run p50 %6.1f ms  (n=%d, baseline)%n", ms(p(plain, 50)), plain.size());
            System.out.printf("  cold / plain = %.2f  (target <= 1.5)%n", (double) p(cold, 50) / p(plain, 50));
        }
    }

    /** {@code docker run -i --rm} of the same image and tool server, no hardening; time to the call's answer. */
    static long plainDockerRun(Path lib, Path jar, Path ws, String image) throws Exception {
        String name = "claw-bench-plain-" + System.nanoTime();
        Path errors = Files.createTempFile("claw-bench-plain", ".err");
        long t = System.nanoTime();
        Process p = new ProcessBuilder("docker", "run", "-i", "--rm", "--name", name,
                "-v", lib + ":/opt/claw/lib:ro", "-v", jar + ":/opt/claw/plugin/plugin.jar:ro", "-v", ws + ":/workspace",
                image, "java", "-cp", "/opt/claw/lib/*:/opt/claw/plugin/plugin.jar",
                "ai.clawbot.plugin.runtime.ToolServerMain").redirectError(errors.toFile()).start();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"search_content\","
                    + "\"arguments\":{\"query\":\"benchmarks\"}}}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line;
            while ((line = out.readLine()) != null && !line.contains("\"id\":2")) {
                // wait for the call's answer
            }
            long elapsed = System.nanoTime() - t;
            if (line == null) {
                String err = Files.readString(errors);
                throw new IllegalStateException("plain docker run gave no answer: " + err.substring(Math.max(0, err.length() - 800)));
            }
            return elapsed;
        } finally {
            new ProcessBuilder("docker", "rm", "-f", name).redirectErrorStream(true).start().waitFor();
            p.destroy();
            Files.deleteIfExists(errors);
        }
    }

    static void copy(String resource, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (InputStream in = SandboxCallBench.class.getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
    }

    static long p(List<Long> xs, int pct) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, s.size() * pct / 100));
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}

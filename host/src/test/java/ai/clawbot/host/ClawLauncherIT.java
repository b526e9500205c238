package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.ProtocolClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command, as a user types it: {@code ./claw gateway}, in a real process. */
class ClawLauncherIT {

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern URL = Pattern.compile("Control UI: (http://127\\.0\\.0\\.1:(\\d+)/#token=([A-Za-z0-9_-]+))");

    @TempDir
    Path state;

    @Test
    void clawGatewayPrintsTheControlUiUrlWithATokenThatOpensTheGateway() throws Exception {
        Started first = start(freePort());
        try {
            Path config = state.resolve("openclaw.json");
            assertThat(Files.readString(config)).contains(first.token());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
            assertThat(first.seen()).anyMatch(l -> l.contains("Skills: 4 loaded"));

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            try (ProtocolClient client = ProtocolClient.connect(URI.create("ws://127.0.0.1:" + first.port() + "/"), first.token())) {
                assertThat(client.request("skills.list").at("/payload/skills").findValuesAsText("id")).contains("obsidian");
            }
        } finally {
            first.stop();
        }
        // On JDK 25+ the first start leaves an AOT cache (written as it exits); the next start runs on it.
        if (Runtime.version().feature() >= 25) {
            List<Path> caches;
            try (var files = Files.list(REPO.resolve("host/target"))) {
                caches = files.filter(f -> f.getFileName().toString().matches("claw-gateway-.+\\.aot")).toList();
            }
            assertThat(caches).as("the launcher's AOT cache, one for this JDK").hasSize(1);
            assertThat(Files.getLastModifiedTime(caches.get(0)).compareTo(
                    Files.getLastModifiedTime(REPO.resolve("host/target/claw-host.jar")))).isPositive();
        }
        Started second = start(freePort());
        try {
            assertThat(second.token()).isEqualTo(first.token()); // same state folder, same token
            try (ProtocolClient client = ProtocolClient.connect(URI.create("ws://127.0.0.1:" + second.port() + "/"), second.token())) {
                assertThat(client.request("skills.list").at("/payload/skills").findValuesAsText("id")).contains("obsidian");
            }
        } finally {
            second.stop();
        }
        assertThat(second.seen()).as("the second start used the cache, it did not record another")
                .noneMatch(l -> l.contains("AOTConfiguration"));
    }

    private record Started(Process process, Thread output, int port, String token, List<String> seen) {
        /** SIGTERM as Ctrl-C or a service manager sends it; our end of its output stays open while it exits. */
        void stop() throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("claw gateway did not exit within 90 s of SIGTERM: " + seen);
            }
            output.join(TimeUnit.SECONDS.toMillis(10)); // the last lines read
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code ./claw gateway --port PORT} and waits for its Control UI line. */
    private Started start(int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("claw").toString(), "gateway", "--port", String.valueOf(port))
                .directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("OPENCLAW_STATE_DIR", state.toString());
        pb.environment().put("CLAW_NO_BUILD", "1");
        pb.environment().remove("OPENCLAW_GATEWAY_TOKEN");
        pb.environment().remove("OPENCLAW_GATEWAY_PORT");
        Process p = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        // A platform thread: a virtual one blocked in a pipe read pins its carrier.
        Thread output = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    seen.add(l);
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        Matcher m = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (m == null && System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null) {
                Matcher candidate = URL.matcher(l);
                if (candidate.find()) {
                    m = candidate;
                }
            }
        }
        if (m == null) {
            p.destroyForcibly();
        }
        assertThat(m).as("launcher output: %s", seen).isNotNull();
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(port);
        return new Started(p, output, port, m.group(3), seen);
    }

    @Test
    void withoutAJdk21TheLauncherSaysSoClearly() throws Exception {
        // With a JDK 21+ on the default PATH the launcher rightly starts; there is nothing to refuse on this machine.
        if (Files.exists(Path.of("/usr/bin/javac")) && isAtLeast21("/usr/bin/javac")) {
            Assumptions.abort("/usr/bin/javac is a JDK 21 or newer: no machine without one to test on");
        }
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("claw").toString(), "gateway")
                .directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", state.toString());
        pb.environment().put("CLAW_JDK_SEARCH", state.resolve("no-jdks-here").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out).contains("needs a JDK 21 or newer").contains("JAVA_HOME");
    }

    private static boolean isAtLeast21(String javac) throws Exception {
        Process v = new ProcessBuilder(javac, "-version").redirectErrorStream(true).start();
        String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        v.waitFor();
        Matcher m = Pattern.compile("javac (\\d+)").matcher(out);
        return m.find() && Integer.parseInt(m.group(1)) >= 21;
    }
}

package ai.clawbot.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.DockerRequired;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin author's tutorial, run as written: {@code claw plugins new}, then the shell blocks of the generated
 * README (build with this repo's Maven offline, generate a key, sign, trust, install; start the gateway; call the
 * example tool through {@code tools.invoke} in a real sandbox container). Only the one-time {@code setup} block is
 * replaced: it would install into the shared ~/.m2, so plugin-api goes into a private local repository chained
 * in front of ~/.m2 (Maven 3.9's {@code maven.repo.local.tail}).
 */
@ExtendWith(DockerRequired.class)
class PluginScaffoldIT {

    /** Marks the end of a process's output in its line queue. */
    private static final String EOF = "\u0000EOF";
    private static final Pattern FENCE = Pattern.compile("(?ms)^```([^\\n]*)\\n(.*?)^```");

    @TempDir
    Path tmp;

    @Test
    void theGeneratedReadmeBuildsSignsInstallsAndCallsTheExampleTool() throws Exception {
        Path project = tmp.resolve("hello-notes");
        Claw.Result created = Claw.run(Map.of(), null, "plugins", "new", "hello-notes", "--dir", project.toString());
        assertThat(created.exit()).as(created.out()).isZero();
        Map<String, String> blocks = shellBlocks(Files.readString(project.resolve("README.md")));
        assertThat(blocks).containsOnlyKeys("sh", "sh setup", "sh build", "sh gateway", "sh call");
        assertThat(blocks.get("sh")).isEqualTo("export CLAWBOT_HOME=" + Claw.REPO + "\n");
        assertThat(blocks.get("sh setup")).contains("./mvnw -q install -pl plugin-api,skill-testkit -am");
        assertSdkGuideShowsTheSameCommands(blocks);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLAW_NO_BUILD", "1");
        env.put("OPENCLAW_STATE_DIR", tmp.resolve("state").toString());
        env.put("CLAW_KEYS", tmp.resolve("keys").toString());
        env.put("MAVEN_ARGS", "-Dmaven.repo.local=" + tmp.resolve("m2") + " -Dmaven.repo.local.tail=" + sharedRepository());
        installPluginApiPrivately(env);

        // Before any gateway ran: a clear error, and the client does not write a config (or a token) itself.
        Claw.Result early = Claw.run(env, null, "tools", "invoke", "hello-notes", "greet");
        assertThat(early.exit()).isEqualTo(2);
        assertThat(early.out()).contains("no gateway has run");
        assertThat(tmp.resolve("state/openclaw.json")).doesNotExist();

        Run build = sh(project, env, blocks.get("sh") + blocks.get("sh build"), 600);
        assertThat(build.exit()).as(build.out()).isZero();
        assertThat(build.out()).contains("signed hello-notes-0.1.0.jar").contains("trusted publisher")
                .contains("tools: greet [read]").contains("network: none").contains("installed hello-notes 0.1.0");
        assertThat(project.resolve("target/surefire-reports")).as("the generated unit test ran").isDirectory();
        try (var reports = Files.list(project.resolve("target/surefire-reports"))) {
            String text = reports.filter(f -> f.toString().endsWith(".txt")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).reduce("", String::concat);
            assertThat(text).as("the generated test kit test ran its three cases").contains("Tests run: 3, Failures: 0, Errors: 0");
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        env.put("OPENCLAW_GATEWAY_PORT", String.valueOf(port));
        Process gateway = start(project, env, blocks.get("sh") + blocks.get("sh gateway"));
        try {
            BlockingQueue<String> lines = lines(gateway.getInputStream());
            StringBuilder seen = new StringBuilder();
            for (String l = lines.poll(90, TimeUnit.SECONDS); ; l = lines.poll(90, TimeUnit.SECONDS)) {
                assertThat(l).as("gateway output so far: " + seen).isNotNull().isNotEqualTo(EOF);
                seen.append(l).append('\n');
                if (l.startsWith("Control UI: ")) {
                    break;
                }
            }
            assertThat(seen).contains("hello-notes@0.1.0").doesNotContain("refused");

            Run call = sh(project, env, blocks.get("sh") + blocks.get("sh call"), 180);
            assertThat(call.exit()).as(call.out()).isZero();
            assertThat(call.out()).isEqualTo("Hello, Ada!\n");

            // The same command's failures say what is wrong.
            Claw.Result badArgs = Claw.run(env, null, "tools", "invoke", "hello-notes", "greet", "--args", "{\"nam\":\"Ada\"}");
            assertThat(badArgs.exit()).isEqualTo(1);
            assertThat(badArgs.out()).contains("INVALID_ARGS").contains("nam");
            Claw.Result noTool = Claw.run(env, null, "tools", "invoke", "hello-notes", "wave");
            assertThat(noTool.exit()).isEqualTo(1);
            assertThat(noTool.out()).contains("UNKNOWN_TOOL").contains("tools: greet");
            Claw.Result notJson = Claw.run(env, null, "tools", "invoke", "hello-notes", "greet", "--args", "[1]");
            assertThat(notJson.exit()).isEqualTo(2);
            assertThat(notJson.out()).contains("must be a JSON object");
        } finally {
            stop(gateway);
        }
        Claw.Result down = Claw.run(env, null, "tools", "invoke", "hello-notes", "greet", "--args", "{\"name\":\"Ada\"}");
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.out()).contains("no gateway answers");
    }

    /** docs/plugin-sdk.md's walk-through is the README's, line for line (it is not run itself). */
    private static void assertSdkGuideShowsTheSameCommands(Map<String, String> blocks) throws IOException {
        String guide = Files.readString(Claw.REPO.resolve("docs/plugin-sdk.md"));
        for (String block : List.of("sh setup", "sh build", "sh gateway", "sh call")) {
            for (String line : blocks.get(block).split("\n")) {
                assertThat(guide).as("docs/plugin-sdk.md shows the README's command").contains(line.strip());
            }
        }
    }

    /** The fenced blocks of a Markdown text whose info string starts with {@code sh}, by info string. */
    static Map<String, String> shellBlocks(String markdown) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            String info = m.group(1).strip();
            if (info.equals("sh") || info.startsWith("sh ")) {
                assertThat(blocks.put(info, m.group(2))).as("one block per info string: " + info).isNull();
            }
        }
        return blocks;
    }

    /** What the README's setup block does (install plugin-api and its parent pom), into the private repository. */
    private void installPluginApiPrivately(Map<String, String> env) throws Exception {
        Properties sdk = new Properties();
        try (InputStream in = PluginScaffoldIT.class.getResourceAsStream("/ai/clawbot/host/scaffold/sdk.properties")) {
            sdk.load(in);
        }
        Path api = Claw.REPO.resolve("plugin-api/target/plugin-api-" + sdk.getProperty("pluginApiVersion") + ".jar");
        assertThat(api).as("plugin-api is packaged before the host's integration tests").isRegularFile();
        // Not offline: `verify` never runs the install plugin, so on a fresh machine it may be missing from
        // ~/.m2; then it is downloaded into the private repository. The generated project's build is offline.
        String install = "\"$CLAWBOT_HOME/mvnw\" -q -B org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file";
        Run run = sh(tmp, env, "CLAWBOT_HOME=" + Claw.REPO + "\n"
                + install + " -Dfile=\"$CLAWBOT_HOME/pom.xml\" -DpomFile=\"$CLAWBOT_HOME/pom.xml\"\n"
                + install + " -Dfile=" + api + " -DpomFile=\"$CLAWBOT_HOME/plugin-api/pom.xml\"\n"
                + install + " -Dfile=" + packaged("skill-manifests", sdk) + " -DpomFile=\"$CLAWBOT_HOME/skill-manifests/pom.xml\"\n"
                + install + " -Dfile=" + packaged("skill-testkit", sdk) + " -DpomFile=\"$CLAWBOT_HOME/skill-testkit/pom.xml\"\n", 300);
        assertThat(run.exit()).as(run.out()).isZero();
    }

    /** A reactor module's jar, packaged before the host's integration tests (the generated test uses the test kit). */
    private static Path packaged(String module, Properties sdk) {
        Path jar = Claw.REPO.resolve(module + "/target/" + module + "-" + sdk.getProperty("pluginApiVersion") + ".jar");
        assertThat(jar).as(module + " is packaged before the host's integration tests").isRegularFile();
        return jar;
    }

    private static String sharedRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? configured : Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    }

    record Run(int exit, String out) {
    }

    private static Run sh(Path dir, Map<String, String> env, String script, int timeoutSeconds) throws Exception {
        Process p = start(dir, env, script);
        p.getOutputStream().close();
        BlockingQueue<String> lines = lines(p.getInputStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            stop(p);
            throw new AssertionError("did not finish in " + timeoutSeconds + " s:\n" + script + "\n" + String.join("\n", lines));
        }
        StringBuilder out = new StringBuilder();
        for (String l = lines.poll(10, TimeUnit.SECONDS); l != null && !l.equals(EOF); l = lines.poll(10, TimeUnit.SECONDS)) {
            out.append(l).append('\n');
        }
        return new Run(p.exitValue(), out.toString());
    }

    private static Process start(Path dir, Map<String, String> env, String script) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().remove("OPENCLAW_GATEWAY_TOKEN");
        pb.environment().remove("OPENCLAW_GATEWAY_PORT");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                lines.add(EOF);
            }
        });
        return lines;
    }

    /** Ends the shell and what it started (the gateway's JVM); SIGTERM first so it removes its containers. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> tree = p.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        p.destroy();
        for (ProcessHandle h : tree) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
                h.destroyForcibly();
                return h;
            }).join();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}

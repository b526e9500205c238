package ai.clawbot.host.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.Node24;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher's and operator's path with the real {@code claw} commands: sign, {@code registry publish},
 * {@code registry serve} (a real process), {@code registry add}, {@code plugins search|info|install --registry},
 * an update that widens permissions (shown, declined, then confirmed); then ClawHub's own npm CLI (on Node 24)
 * searches the same server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryCliIT {

    static final Path NODE24 = Node24.binary();
    static final Path CLAWHUB = Path.of(System.getenv().getOrDefault("CLAW_CLAWHUB_JS",
            "/opt/claw-clawhub/node_modules/clawhub/bin/clawdhub.js"));

    @TempDir
    static Path tmp;

    private Map<String, String> env;
    private Path keys;
    private Path registry;
    private Process serve;
    private int port;

    private Claw.Result claw(String stdin, String... args) throws Exception {
        return Claw.run(env, stdin, args);
    }

    private Claw.Result ok(String... args) throws Exception {
        Claw.Result r = claw(null, args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out()).isZero();
        return r;
    }

    @BeforeAll
    void publishAndServe() throws Exception {
        env = Map.of("OPENCLAW_STATE_DIR", tmp.resolve("state").toString());
        keys = tmp.resolve("keys");
        registry = tmp.resolve("registry");
        // Key generation has its own CLI test (PluginCliIT); two JVM starts saved here.
        ai.clawbot.signing.Keys.write(ai.clawbot.signing.Keys.generate(), keys, "publisher");
        ai.clawbot.signing.Keys.write(ai.clawbot.signing.Keys.generate(), keys, "registry");
        Path v1 = RegistryFixture.unsignedJar(tmp, "demo-notes", "1.0.0", RegistryFixture.NARROW);
        ok("plugins", "sign", v1.toString(), "--key", keys.resolve("publisher.key").toString());
        Claw.Result pub = ok("registry", "publish", v1.toString(), "--registry", registry.toString(),
                "--key", keys.resolve("registry.key").toString(), "--valid-days", "7");
        assertThat(pub.out()).contains("published demo-notes 1.0.0").contains("index serial 1");

        ProcessBuilder pb = new ProcessBuilder(Claw.REPO.resolve("claw").toString(), "registry", "serve", registry.toString(), "--port", "0")
                .directory(Claw.REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("CLAW_NO_BUILD", "1");
        pb.environment().putAll(env);
        serve = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        Pattern p = Pattern.compile("serving registry .* on http://127\\.0\\.0\\.1:(\\d+)/");
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
        }
        assertThat(port).as("registry serve printed its port").isPositive();
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    void stopServing() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void searchInfoAndInstallFromTheServedRegistryAfterConfirming() throws Exception {
        ok("trust", "add", keys.resolve("publisher.pub").toString(), "--name", "publisher");
        ok("registry", "add", "local", "http://127.0.0.1:" + port + "/", "--key", keys.resolve("registry.pub").toString());

        Claw.Result search = ok("plugins", "search", "notes", "--registry", "local");
        assertThat(search.out()).contains("local:demo-notes 1.0.0").contains("hello[read]");

        Claw.Result info = ok("plugins", "info", "demo-notes", "--registry", "local");
        assertThat(info.out()).contains("tools: hello [read]").contains("network: none").contains("workspace: none")
                .contains("signer key: ").contains("manifest sha256: ");

        Claw.Result declined = claw("n\n", "plugins", "install", "demo-notes", "--registry", "local");
        assertThat(declined.exit()).isEqualTo(1);
        assertThat(declined.out()).contains("signed by publisher").contains("not installed yet").contains("not confirmed");
        assertThat(Files.exists(tmp.resolve("state/plugins/demo-notes-1.0.0.jar"))).isFalse();

        Claw.Result installed = claw("y\n", "plugins", "install", "demo-notes@1.0.0", "--registry", "local");
        assertThat(installed.exit()).as(installed.out()).isZero();
        assertThat(installed.out()).contains("installed demo-notes 1.0.0");
        assertThat(Files.exists(tmp.resolve("state/plugins/demo-notes-1.0.0.jar"))).isTrue();
    }

    @Test
    @Order(2)
    void anUpdateThatWidensPermissionsShowsTheWideningAndWaitsForAYes() throws Exception {
        assertThat(ok("plugins", "update", "demo-notes").out()).contains("demo-notes is up to date");
        Path v2 = RegistryFixture.unsignedJar(tmp, "demo-notes", "2.0.0", RegistryFixture.WIDE);
        ok("plugins", "sign", v2.toString(), "--key", keys.resolve("publisher.key").toString());
        assertThat(ok("registry", "publish", v2.toString(), "--registry", registry.toString(),
                "--key", keys.resolve("registry.key").toString()).out()).contains("index serial 2");

        Claw.Result declined = claw("n\n", "plugins", "update", "demo-notes");
        assertThat(declined.exit()).isEqualTo(1);
        assertThat(declined.out()).contains("permission diff against installed 1.0.0 (WIDENS permissions)")
                .contains("+ tool send: (none) -> external").contains("+ network: (none) -> api.example.com:443")
                .contains("+ secret: (none) -> DEMO_TOKEN").contains("Update to demo-notes 2.0.0 (it WIDENS permissions)?")
                .contains("not confirmed");
        assertThat(Files.exists(tmp.resolve("state/plugins/demo-notes-2.0.0.jar"))).isFalse();

        Claw.Result confirmed = claw("y\n", "plugins", "update", "--all");
        assertThat(confirmed.exit()).as(confirmed.out()).isZero();
        assertThat(confirmed.out()).contains("installed demo-notes 2.0.0 (replaced 1.0.0)");
        // Installing the older version again is a downgrade.
        Claw.Result downgrade = claw("y\n", "plugins", "install", "demo-notes@1.0.0", "--registry", "local");
        assertThat(downgrade.exit()).isEqualTo(1);
        assertThat(downgrade.out()).contains("DOWNGRADE");
    }

    @Test
    @Order(3)
    void clawHubsOwnNpmCliFindsOurPluginsWithSearch() throws Exception {
        if (!Files.isExecutable(NODE24) || !Files.isRegularFile(CLAWHUB)) {
            String problem = "Node 24 (" + NODE24 + ") or the npm clawhub CLI (" + CLAWHUB + ") is missing; .ci/run installs both";
            if ("1".equals(System.getenv("CLAW_REQUIRE_DOCKER"))) {
                throw new AssertionError("CLAW_REQUIRE_DOCKER=1 but " + problem);
            }
            Assumptions.abort("skipped: " + problem);
        }
        Path home = Files.createDirectories(tmp.resolve("clawhub-home"));
        ProcessBuilder pb = new ProcessBuilder(List.of(NODE24.toString(), CLAWHUB.toString(),
                "--registry", "http://127.0.0.1:" + port, "--workdir", tmp.resolve("clawhub-work").toString(), "search", "notes"))
                .redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("CI", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("demo-notes v2.0.0").contains("demo-notes");
    }
}

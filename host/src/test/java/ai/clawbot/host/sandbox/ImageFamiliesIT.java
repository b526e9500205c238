package ai.clawbot.host.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.host.testkit.Claw;
import ai.clawbot.host.testkit.DockerRequired;
import ai.clawbot.host.testkit.TestGateway;
import ai.clawbot.host.testkit.TestPluginJar;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image families for real: {@code claw sandbox build} brings skill-node and skill-stt up to date (a no-op
 * when CI built them; about 2 minutes each otherwise), then a probe skill runs in each family's hardened
 * container: its JRE 17 tool server starts, and the family's programs run as that skill would run them.
 */
class ImageFamiliesIT {

    private static final DockerClient DOCKER = DockerClients.create();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path state;
    private static SkillCatalog catalog;
    private static DockerSandbox sandbox;

    /** Runs an argv (no shell) and answers "exit=N" and the merged output; tells the JRE version. */
    private static final String PROBE = """
            package p;
            import ai.clawbot.plugin.api.*;
            import java.util.*;
            public class Probe implements Skill {
                public Map<String, ToolHandler> tools() {
                    return Map.of(
                        "jre", (a, c) -> ToolResult.text(System.getProperty("java.specification.version")),
                        "files", (a, c) -> {
                            String[] names = new java.io.File(a.path("dir").asText()).list();
                            if (names == null) {
                                return ToolResult.text("no such folder");
                            }
                            Arrays.sort(names);
                            return ToolResult.text(String.join(",", names));
                        },
                        "run", (a, c) -> {
                            List<String> argv = new ArrayList<>();
                            a.path("argv").forEach(n -> argv.add(n.asText()));
                            try {
                                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                                String out = new String(p.getInputStream().readAllBytes());
                                return ToolResult.text("exit=" + p.waitFor() + "\\n" + out);
                            } catch (Exception e) {
                                return ToolResult.text("failed: " + e);
                            }
                        });
                }
            }
            """;

    private static String manifest(String id, String image) {
        return """
                id: %s
                version: 1.0.0
                description: Probes an image family.
                tools:
                  - name: jre
                    description: The tool server's Java version.
                    effect: read
                    input: {type: object}
                  - name: files
                    description: List a folder.
                    effect: read
                    input: {type: object, properties: {dir: {type: string}}}
                  - name: run
                    description: Run a program.
                    effect: read
                    input: {type: object, properties: {argv: {type: array, items: {type: string}}}}
                sandbox: {image: %s}
                permissions: {workspace: none, resources: {memory: 512m, timeout: 60s}}
                network: none
                """.formatted(id, image);
    }

    @BeforeAll
    static void buildAndLoad() throws Exception {
        DockerRequired.requireFamilies();
        state = Files.createTempDirectory("claw-families");
        // The real command, as an operator runs it: builds only what is missing or stale, prints each tag.
        ProcessBuilder build = new ProcessBuilder(Claw.REPO.resolve("claw").toString(), "sandbox", "build", "skill-node", "skill-stt")
                .directory(Claw.REPO.toFile()).redirectErrorStream(true);
        build.environment().put("CLAW_NO_BUILD", "1");
        build.environment().put("OPENCLAW_STATE_DIR", state.toString());
        build.environment().remove("OPENCLAW_GATEWAY_TOKEN");
        Process p = build.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        System.out.println(out);
        for (String family : List.of("skill-node", "skill-stt")) {
            String tag = ImageRecipe.of(family).tag();
            assertThat(out).as(out).contains(tag);
            assertThat(DOCKER.inspectImageCmd(tag).exec().getConfig().getLabels())
                    .containsEntry("ai.clawbot.recipe", ImageRecipe.of(family).hash())
                    .containsEntry("ai.clawbot.image", family);
        }
        DockerRequired.requireFamilies("skill-jre", "skill-node", "skill-stt");
        for (String family : List.of("skill-jre", "skill-node", "skill-stt")) {
            String id = "probe-" + family.substring("skill-".length());
            TestPluginJar.of(id, "1.0.0", manifest(id, family), "p.Probe", PROBE)
                    .buildSignedAndTrusted(state.resolve("plugins"), state.resolve("trust"), id);
        }
        StateDir dir = new StateDir(state);
        dir.ensureRoot();
        catalog = SkillCatalog.load(dir);
        sandbox = DockerSandbox.create(DOCKER, SandboxSettings.detect(System.getenv(), "families" + System.nanoTime()),
                SandboxObserver.NONE);
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (state != null) {
            TestGateway.deleteTree(state);
        }
    }

    private static ToolOutcome.Ok call(String family, String tool, String... argv) throws Exception {
        ObjectNode args = JSON.createObjectNode();
        if (argv.length > 0) {
            args.putArray("argv").addAll(java.util.Arrays.stream(argv).map(JSON.getNodeFactory()::textNode).toList());
        }
        return call(family, tool, args);
    }

    private static String files(String family, String dir) throws Exception {
        return call(family, "files", JSON.createObjectNode().put("dir", dir)).text();
    }

    private static ToolOutcome.Ok call(String family, String tool, ObjectNode args) throws Exception {
        LoadedSkill skill = catalog.find("probe-" + family.substring("skill-".length())).orElseThrow();
        ToolOutcome o = sandbox.call(new SandboxCall(skill, tool, args, state, Map.of()));
        assertThat(o).as(o.toString()).isInstanceOf(ToolOutcome.Ok.class);
        ToolOutcome.Ok ok = (ToolOutcome.Ok) o;
        assertThat(ok.isError()).as(ok.text()).isFalse();
        return ok;
    }

    @Test
    void theToolServerStartsOnJre17InEveryFamilyFromItsCurrentImage() throws Exception {
        for (String family : List.of("skill-jre", "skill-node", "skill-stt")) {
            ToolOutcome.Ok ok = call(family, "jre");
            assertThat(ok.text()).as(family).isEqualTo("17");
            assertThat(ok.run().image()).as(family).isEqualTo(DOCKER.inspectImageCmd(ImageRecipe.of(family).tag()).exec().getId());
        }
    }

    @Test
    void nodeRunsInSkillNode() throws Exception {
        assertThat(call("skill-node", "run", "node", "--version").text()).matches("(?s)exit=0\\nv1[89]\\..*");
        assertThat(call("skill-node", "run", "node", "-e", "console.log(require('os').userInfo().uid)").text())
                .as("node runs as the sandbox user, not root").doesNotContain("exit=0\n0\n").startsWith("exit=0");
    }

    @Test
    void soxConvertsAndPocketsphinxDecodesWithTheEnUsModelInSkillStt() throws Exception {
        String model = "/usr/share/pocketsphinx/model/en-us";
        // sox makes a 16 kHz mono WAV, re-encodes it to FLAC and OGG, and reads each back.
        assertThat(call("skill-stt", "run", "sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "/tmp/tone.wav", "synth", "1", "sine", "440")
                .text()).startsWith("exit=0");
        for (String fmt : List.of("flac", "ogg")) {
            assertThat(call("skill-stt", "run", "sox", "/tmp/tone.wav", "/tmp/tone." + fmt).text()).as(fmt).startsWith("exit=0");
            assertThat(call("skill-stt", "run", "soxi", "-r", "/tmp/tone." + fmt).text()).as(fmt).isEqualTo("exit=0\n16000\n");
        }
        assertThat(call("skill-stt", "run", "sox", "-h").text()).as("MP3 handler present").contains("mp3");
        assertThat(files("skill-stt", model)).contains("en-us", "en-us.lm.bin", "cmudict-en-us.dict");
        assertThat(files("skill-stt", model + "/en-us")).contains("mdef", "means", "variances", "transition_matrices",
                "sendump", "noisedict", "feat.params");
        String decoded = call("skill-stt", "run", "pocketsphinx_continuous", "-infile", "/tmp/tone.wav",
                "-hmm", model + "/en-us", "-lm", model + "/en-us.lm.bin", "-dict", model + "/cmudict-en-us.dict").text();
        assertThat(decoded).as(decoded).startsWith("exit=0").containsPattern("Reading main dictionary: \\S*/cmudict-en-us.dict")
                .containsPattern("\\d{5,} words read").doesNotContain("FATAL");
        assertThat(call("skill-stt", "run", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "-version").text()).contains("17.");
    }

    @Test
    void skillSttCarriesNoShell() throws Exception {
        for (String shell : List.of("sh", "bash", "dash", "ls", "cat")) {
            assertThat(call("skill-stt", "run", shell, "-c", "true").text()).as(shell).startsWith("failed: java.io.IOException");
        }
        assertThat(call("skill-jre", "run", "sh", "-c", "echo kept").text()).as("skill-jre keeps sh for the workspace skill's exec")
                .isEqualTo("exit=0\nkept\n");
    }
}

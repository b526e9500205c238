package ai.clawbot.host.cli;

import ai.clawbot.host.gateway.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sandbox", mixinStandardHelpOptions = true, description = "Sandbox images and containers.",
        subcommands = {SandboxCommand.Build.class, SandboxCommand.ListContainers.class, SandboxCommand.Prune.class})
final class SandboxCommand {

    /** Image name → the recipe (a script shipped in the host jar) that builds it from Debian packages. */
    static final Map<String, String> RECIPES = Map.of("clawbot/skill-jre:17", "build-images.sh");

    static DockerClient docker() {
        DockerClient d = DockerClients.create();
        if (!DockerClients.available(d)) {
            throw new IllegalStateException("no Docker engine answers (is dockerd running? DOCKER_HOST?)");
        }
        return d;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Build, locally from Debian packages, every image the installed plugins name.")
    static final class Build implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Set<String> images = new TreeSet<>();
            try (SkillCatalog c = SkillCatalog.load(StateDir.fromEnvironment(System.getenv()))) {
                for (LoadedSkill s : c.skills()) {
                    images.add(s.manifest().sandbox().image());
                }
                for (LoadedSkill s : c.disabled()) {
                    images.add(s.manifest().sandbox().image());
                }
            }
            if (images.isEmpty()) {
                System.out.println("no installed plugin names an image");
                return 0;
            }
            int rc = 0;
            for (String image : images) {
                String recipe = RECIPES.get(image);
                if (recipe == null) {
                    System.err.println("claw: no recipe to build " + image + " (known: " + RECIPES.keySet() + ")");
                    rc = 1;
                    continue;
                }
                System.out.println("building " + image + " ...");
                Path script = Files.createTempFile("claw-image", ".sh");
                try (InputStream in = SandboxCommand.class.getResourceAsStream("/sandbox-images/" + recipe)) {
                    Files.write(script, in.readAllBytes());
                }
                try {
                    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).inheritIO();
                    pb.environment().put("CLAW_SKILL_IMAGE", image);
                    int exit = pb.start().waitFor();
                    if (exit != 0) {
                        System.err.println("claw: building " + image + " failed (exit " + exit + ")");
                        rc = 1;
                    }
                } finally {
                    Files.deleteIfExists(script);
                }
            }
            return rc;
        }
    }

    /**
     * The sandbox containers of the gateway on this state folder ({@code OPENCLAW_STATE_DIR}), or with {@code all}
     * those of every gateway on the engine (several may share it: other users, other state folders, tests).
     */
    static List<Container> sandboxes(DockerClient d, boolean all) {
        Map<String, String> labels = all ? Map.of("ai.clawbot.sandbox", "1") : Map.of("ai.clawbot.sandbox", "1",
                "ai.clawbot.scope", SandboxSettings.scopeOf(StateDir.fromEnvironment(System.getenv()).root()));
        return d.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List this state folder's sandbox containers (warm or left over).")
    static final class ListContainers implements Callable<Integer> {
        @Option(names = "--all", description = "Those of every gateway on this Docker engine.")
        boolean all;

        @Override
        public Integer call() {
            List<Container> found = sandboxes(docker(), all);
            if (found.isEmpty()) {
                System.out.println("no sandbox containers");
            }
            for (Container c : found) {
                Map<String, String> l = c.getLabels();
                long age = Duration.between(Instant.ofEpochSecond(c.getCreated()), Instant.now()).toSeconds();
                System.out.printf("%s  %-10s %-8s %5ds  %s%n", c.getId().substring(0, 12), l.getOrDefault("ai.clawbot.skill", "?"),
                        c.getState(), age, l.getOrDefault("ai.clawbot.key", ""));
            }
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Remove this state folder's sandbox containers; its gateway starts fresh ones on the next call.")
    static final class Prune implements Callable<Integer> {
        @Option(names = "--all", description = "Those of every gateway on this Docker engine.")
        boolean all;

        @Override
        public Integer call() {
            DockerClient d = docker();
            int n = 0;
            for (Container c : sandboxes(d, all)) {
                try {
                    d.removeContainerCmd(c.getId()).withForce(true).exec();
                    n++;
                } catch (NotFoundException | ConflictException e) {
                    // gone, or being removed by its gateway right now: not ours to count
                }
            }
            System.out.println("removed " + n + " sandbox container" + (n == 1 ? "" : "s"));
            return 0;
        }
    }
}

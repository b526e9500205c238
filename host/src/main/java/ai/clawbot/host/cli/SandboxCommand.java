package ai.clawbot.host.cli;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.host.sandbox.ImageRecipe;
import ai.clawbot.host.sandbox.SandboxSettings;
import ai.clawbot.host.skills.LoadedSkill;
import ai.clawbot.host.skills.SkillCatalog;
import ai.clawbot.manifests.ImageFamilies;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sandbox", mixinStandardHelpOptions = true, description = "Sandbox images and containers.",
        subcommands = {SandboxCommand.Build.class, SandboxCommand.ListContainers.class, SandboxCommand.Prune.class})
final class SandboxCommand {

    static DockerClient docker() {
        DockerClient d = DockerClients.create();
        if (!DockerClients.available(d)) {
            throw new IllegalStateException("no Docker engine answers (is dockerd running? DOCKER_HOST?)");
        }
        return d;
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build image families locally from Debian packages (debootstrap + docker import; about 2 minutes "
                    + "each). Only a family whose image is missing or stale (built from another recipe) is built; prints each "
                    + "family's current tag.", "Without arguments: the families the installed plugins name."})
    static final class Build implements Callable<Integer> {

        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Image families to build (known: skill-jre, skill-node, skill-stt).")
        List<String> names = new ArrayList<>();

        @Option(names = "--all", description = "Build every image family.")
        boolean all;

        @Override
        public Integer call() throws Exception {
            Set<String> families = new LinkedHashSet<>();
            if (all) {
                families.addAll(ImageFamilies.KNOWN);
            }
            for (String name : names) {
                Optional<String> f = ImageFamilies.familyOf(name);
                if (f.isEmpty()) {
                    System.err.println("claw: " + ImageFamilies.unknown(name));
                    return 2;
                }
                families.add(f.get());
            }
            if (!all && names.isEmpty()) {
                families.addAll(installedFamilies());
                if (families.isEmpty()) {
                    System.out.println("no installed plugin names an image family (claw sandbox build --all builds them all)");
                    return 0;
                }
            }
            Path dir = Files.createTempDirectory("claw-images");
            try {
                Path script = ImageRecipe.extractBuilder(dir);
                for (String family : families) {
                    System.out.println("building " + family + " (" + ImageRecipe.of(family).tag() + ") if missing or stale ...");
                }
                System.out.flush();
                List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
                cmd.addAll(families);
                // The script reports each stage with elapsed seconds on stderr, and prints each tag on stdout.
                int exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
                if (exit != 0) {
                    System.err.println("claw: building " + String.join(", ", families) + " failed (exit " + exit + ")");
                    return 1;
                }
                return 0;
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }

        private static Set<String> installedFamilies() throws Exception {
            Set<String> out = new TreeSet<>();
            try (SkillCatalog c = SkillCatalog.load(StateDir.fromEnvironment(System.getenv()))) {
                List<LoadedSkill> all = new ArrayList<>(c.skills());
                all.addAll(c.disabled());
                for (LoadedSkill s : all) {
                    ImageFamilies.familyOf(s.manifest().sandbox().image()).ifPresent(out::add);
                }
            }
            return out;
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

package ai.clawbot.host.cli;

import ai.clawbot.host.scaffold.PluginProject;
import ai.clawbot.host.scaffold.PluginScaffold;
import ai.clawbot.host.scaffold.ScaffoldException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Write a new skill plugin project (pom.xml, skill.yaml, skill class, handler, test, README).")
final class PluginsNewCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The plugin id, as in the manifest (e.g. hello-notes).")
    String name;

    @Option(names = "--dir", description = "Folder to create (default: ./NAME); must not exist or be empty.")
    Path dir;

    @Option(names = "--package", description = "Java package of the skill's classes (default: com.example.NAME without dashes).")
    String javaPackage;

    @Override
    public Integer call() {
        try {
            PluginProject project = PluginProject.of(name, javaPackage, dir);
            PluginScaffold.Generated g = PluginScaffold.create(gatewayHome()).generate(project);
            System.out.println("wrote " + g.dir() + ":");
            g.files().forEach(f -> System.out.println("  " + f));
            System.out.println("next: read " + g.dir().resolve("README.md") + " (build, sign, install, call)");
            return 0;
        } catch (ScaffoldException e) {
            System.err.println("claw: " + e.getMessage());
            return 2;
        }
    }

    /** The checkout this claw runs from ({@code <home>/host/target/claw-host.jar}), for the README's commands. */
    static Path gatewayHome() {
        try {
            Path code = Path.of(PluginsNewCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path home = code.getParent().getParent().getParent();
            if (Files.isRegularFile(home.resolve("claw")) && Files.isRegularFile(home.resolve("mvnw"))) {
                return home;
            }
        } catch (Exception e) {
            // not run from a checkout: fall through to a placeholder the reader replaces
        }
        return Path.of("/path/to/clawbot-gateway");
    }
}

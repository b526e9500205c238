package ai.clawbot.host.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Plugin jars the reactor built but the host does not bundle (a test-scoped dependency of the host, so they are
 * built first): {@code plugins/<name>/target/<name>-VERSION.jar}.
 */
public final class ReactorJars {

    private ReactorJars() {
    }

    public static Path plugin(String name) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "plugins", name, "target"))) {
            return files.filter(f -> f.getFileName().toString().matches(name + "-[0-9][^/]*(?<!sources|javadoc)\\.jar"))
                    .findFirst().orElseThrow(() -> new IOException("build plugins/" + name + " first (no jar in its target/)"));
        }
    }
}

package ai.clawbot.host.doctor;

import ai.clawbot.host.gateway.StateDir;
import com.github.dockerjava.api.DockerClient;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the doctor checks against.
 *
 * @param docker         the engine client (whether it answers is one of the checks)
 * @param bind           the address the gateway would listen on
 * @param port           the port it would listen on
 * @param images         the sandbox images the installed plugins (or, before the first run, the bundled ones) name
 * @param expectedRecipe an image's expected {@code ai.clawbot.recipe} label, empty when no recipe builds it
 * @param buildImages    what {@code --fix} runs to build missing or stale images ({@code claw sandbox build})
 */
public record DoctorContext(StateDir state, DockerClient docker, String bind, int port, List<String> images,
                            Function<String, Optional<String>> expectedRecipe, DoctorResult.Repair buildImages) {

    public DoctorContext {
        images = List.copyOf(images);
    }
}

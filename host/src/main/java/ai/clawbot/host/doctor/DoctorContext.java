package ai.clawbot.host.doctor;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.sandbox.SandboxImages;
import com.github.dockerjava.api.DockerClient;
import java.util.List;
import java.util.function.Function;

/**
 * What the doctor checks against.
 *
 * @param docker         the engine client (whether it answers is one of the checks)
 * @param bind           the address the gateway would listen on
 * @param port           the port it would listen on
 * @param images         the image families the installed plugins (or, before the first run, the bundled ones) name
 * @param resolve        how a family resolves on the engine (as a tool call resolves it)
 * @param buildImages    what {@code --fix} runs to build missing or stale images ({@code claw sandbox build})
 */
public record DoctorContext(StateDir state, DockerClient docker, String bind, int port, List<String> images,
                            Function<String, SandboxImages.Resolution> resolve, DoctorResult.Repair buildImages) {

    public DoctorContext {
        images = List.copyOf(images);
    }
}

package ai.clawbot.host.doctor;

import ai.clawbot.host.sandbox.DockerClients;
import com.github.dockerjava.api.model.Version;
import java.util.List;

/** The Docker engine answers, and which version it is. */
record DockerEngineCheck() implements DoctorCheck {

    @Override
    public List<DoctorResult> run(DoctorContext c) {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        if (!DockerClients.available(c.docker())) {
            return List.of(DoctorResult.fail("docker", "no Docker engine answers at " + host + ": tool calls cannot run",
                    "start it (sudo systemctl start docker) or point DOCKER_HOST at a running engine"));
        }
        Version v = c.docker().versionCmd().exec();
        return List.of(DoctorResult.ok("docker", "Docker " + v.getVersion() + " (API " + v.getApiVersion() + ") at " + host
                + "; run claw security audit for the runc CVE check"));
    }
}

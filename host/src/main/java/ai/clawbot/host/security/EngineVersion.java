package ai.clawbot.host.security;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import java.util.Map;
import java.util.Optional;

/**
 * What the Docker engine says it is ({@code GET /version}): the engine's version and, from its components, runc's
 * version and its {@code GitCommit} detail (on Debian the package revision, e.g. {@code 1.1.5+ds1-1+deb12u1}).
 *
 * @param runcVersion {@code null} when the engine lists no runc component (older engines)
 * @param runcCommit  {@code null} when absent
 */
public record EngineVersion(String engine, String apiVersion, String runcVersion, String runcCommit) {

    public static EngineVersion read(DockerClient docker) {
        Version v = docker.versionCmd().exec();
        String runc = null;
        String commit = null;
        if (v.getComponents() != null) {
            for (VersionComponent c : v.getComponents()) {
                if ("runc".equalsIgnoreCase(c.getName())) {
                    runc = c.getVersion();
                    Map<String, String> d = c.getDetails();
                    commit = d == null ? null : d.get("GitCommit");
                }
            }
        }
        return new EngineVersion(v.getVersion(), v.getApiVersion(), runc, commit);
    }

    public Optional<String> runc() {
        return Optional.ofNullable(runcVersion);
    }
}

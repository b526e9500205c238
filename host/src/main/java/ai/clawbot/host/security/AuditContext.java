package ai.clawbot.host.security;

import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.skills.InstalledPlugins;
import ai.clawbot.host.skills.InstalledPlugins.Installed;
import ai.clawbot.host.sandbox.DockerClients;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.signing.TrustStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an audit check reads, gathered once.
 *
 * @param config        {@code openclaw.json} as on disk ({@code {}} when absent or unreadable)
 * @param configProblem why the file could not be used, when it could not
 * @param plugins       every plugin jar with its verification verdict
 * @param trust         the trust store, when the state folder has one (the audit never creates it)
 * @param docker        the engine, when one answers
 * @param engine        the engine's version report, when one answers
 */
public record AuditContext(StateDir state, Map<String, String> env, ObjectNode config,
                           Optional<ConfigException> configProblem, List<Installed> plugins, Optional<TrustStore> trust,
                           Optional<DockerClient> docker, Optional<EngineVersion> engine, boolean deep)
        implements AutoCloseable {

    public AuditContext {
        env = Map.copyOf(env);
        plugins = List.copyOf(plugins);
    }

    /** Reads the state folder (nothing is written to it) and asks the local engine, if one answers. */
    public static AuditContext load(StateDir state, Map<String, String> env, boolean deep) throws IOException {
        DockerClient d = DockerClients.create();
        if (!DockerClients.available(d)) {
            closeQuietly(d);
            return load(state, env, deep, Optional.empty(), Optional.empty());
        }
        try {
            return load(state, env, deep, Optional.of(d), version(d));
        } catch (IOException | RuntimeException e) {
            closeQuietly(d);
            throw e;
        }
    }

    public static AuditContext load(StateDir state, Map<String, String> env, boolean deep, Optional<DockerClient> docker,
                                    Optional<EngineVersion> engine) throws IOException {
        ObjectNode config;
        Optional<ConfigException> problem = Optional.empty();
        try {
            config = ConfigStore.open(state.configFile()).inspect();
        } catch (ConfigException e) {
            // Audit what the file says even when the gateway would refuse it: an invalid file is a finding of its
            // own, and its other settings still tell what the operator meant to run.
            config = raw(state);
            problem = Optional.of(e);
        }
        return new AuditContext(state, env, config, problem, InstalledPlugins.scan(state),
                java.nio.file.Files.isDirectory(state.trust().resolve("keys")) ? Optional.of(TrustStore.open(state.trust()))
                        : Optional.empty(),
                docker, engine, deep);
    }

    /** Closes the engine client (its connection pool). */
    @Override
    public void close() {
        docker.ifPresent(AuditContext::closeQuietly);
    }

    private static void closeQuietly(DockerClient d) {
        try {
            d.close();
        } catch (IOException e) {
            // nothing to do: the pool goes with the client
        }
    }

    private static ObjectNode raw(StateDir state) {
        try {
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.configFile().toFile());
            return n instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (IOException | RuntimeException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static Optional<EngineVersion> version(DockerClient d) {
        try {
            return Optional.of(EngineVersion.read(d));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The manifests of the plugins a gateway would load now (verified and enabled), as configured: the egress the
     * operator granted through each skill's settings is in its allowlist, so every check sees what a call would get.
     */
    public List<SkillManifest> activeSkills() {
        return signedSkills().stream().map(m -> configOf(m).applyTo(m)).toList();
    }

    /** The same manifests as signed, before any operator grant. */
    public List<SkillManifest> signedSkills() {
        return plugins.stream().filter(p -> !p.disabled()).flatMap(p -> p.manifest().stream()).toList();
    }

    /** A skill's operator configuration from {@code plugins.entries.<id>} (grants included; invalid = no grant). */
    public ai.clawbot.host.skills.SkillConfig configOf(SkillManifest signed) {
        return ai.clawbot.host.skills.SkillConfigs.resolve(signed, config.path("plugins"));
    }
}

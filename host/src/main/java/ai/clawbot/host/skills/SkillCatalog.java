package ai.clawbot.host.skills;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.signing.PluginVerifier;
import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The skills the gateway can call: every plugin in {@code $OPENCLAW_STATE_DIR/plugins/} that verified
 * against the current trust store at load; the disabled ones (verified, not loaded); and the refused
 * ones, with why.
 */
public final class SkillCatalog implements AutoCloseable {

    private final List<LoadedSkill> skills;
    private final List<LoadedSkill> disabled;
    private final List<RefusedPlugin> refused;
    private final VerifyingPluginManager pf4j;

    private SkillCatalog(VerifyingPluginManager pf4j) {
        this.pf4j = pf4j;
        this.skills = pf4j.admitted().stream().sorted(Comparator.comparing(LoadedSkill::id)).toList();
        this.disabled = pf4j.disabledSkills().stream().sorted(Comparator.comparing(LoadedSkill::id)).toList();
        this.refused = pf4j.refused().stream().sorted(Comparator.comparing(RefusedPlugin::file)).toList();
    }

    private SkillCatalog(VerifyingPluginManager pf4j, List<LoadedSkill> skills, List<LoadedSkill> disabled,
                         List<RefusedPlugin> refused) {
        this.pf4j = pf4j;
        this.skills = skills;
        this.disabled = disabled;
        this.refused = refused;
    }

    /**
     * The same plugins with the operator's configuration applied (the {@code plugins} object of the config): each
     * skill's settings, and its granted endpoints added to its allowlist ({@link LoadedSkill#configured}).
     */
    public SkillCatalog configured(com.fasterxml.jackson.databind.JsonNode plugins) {
        java.util.function.Function<LoadedSkill, LoadedSkill> apply = s -> s.configured(SkillConfigs.resolve(s.manifest(), plugins));
        return new SkillCatalog(pf4j, skills.stream().map(apply).toList(), disabled.stream().map(apply).toList(), refused);
    }

    /** Verifies and loads every plugin of the state folder. */
    public static SkillCatalog load(StateDir state) throws IOException {
        Files.createDirectories(state.plugins());
        // A warm start repeats no check whose inputs are unchanged (signature arithmetic, manifest validation); every
        // trust decision (key trusted, revoked, rotated; jar revoked; minimum version) is made again.
        ai.clawbot.signing.CheckMemo passed = ai.clawbot.host.config.PassedChecks.in(state.root());
        PluginGate gate = new PluginGate(PluginVerifier.create(TrustStore.open(state.trust()), passed), passed,
                state.sandboxes().resolve("verified-plugins"));
        VerifyingPluginManager pf4j = new VerifyingPluginManager(state.plugins(), gate,
                new PluginStates(state.plugins()).disabled());
        pf4j.loadPlugins();
        return new SkillCatalog(pf4j);
    }

    public List<LoadedSkill> skills() {
        return skills;
    }

    public List<LoadedSkill> disabled() {
        return disabled;
    }

    public List<RefusedPlugin> refused() {
        return refused;
    }

    public Optional<LoadedSkill> find(String id) {
        return skills.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Releases the plugins' class loaders (nothing of a skill runs here, but PF4J holds the jars open). */
    @Override
    public void close() {
        pf4j.unloadPlugins();
    }
}

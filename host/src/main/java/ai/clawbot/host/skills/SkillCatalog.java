package ai.clawbot.host.skills;

import ai.clawbot.host.gateway.StateDir;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.signing.PluginVerifier;
import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The skills the gateway can call: every plugin in {@code $OPENCLAW_STATE_DIR/plugins/} that verified
 * against the trust store at load, and the ones refused, with why.
 */
public final class SkillCatalog {

    private final List<LoadedSkill> skills;
    private final List<RefusedPlugin> refused;

    private SkillCatalog(List<LoadedSkill> skills, List<RefusedPlugin> refused) {
        this.skills = skills.stream().sorted(Comparator.comparing(LoadedSkill::id)).toList();
        this.refused = refused.stream().sorted(Comparator.comparing(RefusedPlugin::file)).toList();
    }

    /** Verifies and loads every plugin of the state folder. */
    public static SkillCatalog load(StateDir state) throws IOException {
        Files.createDirectories(state.plugins());
        PluginGate gate = new PluginGate(PluginVerifier.create(TrustStore.open(state.trust())), ManifestValidator.create(),
                state.sandboxes().resolve("verified-plugins"));
        VerifyingPluginManager pf4j = new VerifyingPluginManager(state.plugins(), gate);
        pf4j.loadPlugins();
        return new SkillCatalog(pf4j.admitted(), pf4j.refused());
    }

    public List<LoadedSkill> skills() {
        return skills;
    }

    public List<RefusedPlugin> refused() {
        return refused;
    }

    public Optional<LoadedSkill> find(String id) {
        return skills.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}

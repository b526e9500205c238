package ai.clawbot.host.skills;

import ai.clawbot.host.gateway.StateDir;
import java.io.IOException;

/**
 * The current {@link SkillCatalog}, reloadable: every reload re-verifies every jar against the trust store
 * as it is now, so revocations and removals take effect without trusting anything loaded before.
 */
public final class SkillService {

    private final StateDir state;
    private final PluginInstaller installer;
    private volatile SkillCatalog catalog;

    private SkillService(StateDir state, SkillCatalog catalog) throws IOException {
        this.state = state;
        this.catalog = catalog;
        this.installer = new PluginInstaller(state);
    }

    public static SkillService load(StateDir state) throws IOException {
        return new SkillService(state, SkillCatalog.load(state));
    }

    public SkillCatalog catalog() {
        return catalog;
    }

    public PluginInstaller installer() {
        return installer;
    }

    public PluginStates states() {
        return new PluginStates(state.plugins());
    }

    public synchronized SkillCatalog reload() throws IOException {
        SkillCatalog fresh = SkillCatalog.load(state);
        SkillCatalog old = catalog;
        catalog = fresh;
        old.close();
        return fresh;
    }
}

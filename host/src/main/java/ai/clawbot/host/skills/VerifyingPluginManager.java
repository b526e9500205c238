package ai.clawbot.host.skills;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginWrapper;

/**
 * PF4J's jar plugin manager with verification hooked into the one path every load goes through
 * ({@code loadPluginFromPath}, used by both {@code loadPlugins()} and {@code loadPlugin(Path)}): nothing
 * of a jar (descriptor, class loader) is touched before the {@link PluginGate} admits it, and PF4J then
 * loads the gate's staged copy of the verified bytes, never the file in the plugins folder.
 * Plugins are loaded, never started: the host runs no skill code.
 */
final class VerifyingPluginManager extends JarPluginManager {

    private static final System.Logger LOG = System.getLogger(VerifyingPluginManager.class.getName());

    private final PluginGate gate;
    private final Set<String> disabled;
    private final Map<String, LoadedSkill> admitted = new ConcurrentHashMap<>();
    private final List<RefusedPlugin> refused = new ArrayList<>();
    private final List<LoadedSkill> disabledSkills = new ArrayList<>();

    VerifyingPluginManager(Path pluginsRoot, PluginGate gate, Set<String> disabled) {
        super(pluginsRoot);
        this.gate = gate;
        this.disabled = Set.copyOf(disabled);
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        Admission admission = gate.admit(pluginPath);
        if (admission instanceof Admission.Refused r) {
            synchronized (refused) {
                refused.add(r.plugin());
            }
            LOG.log(System.Logger.Level.WARNING, "Refused plugin " + r.plugin() + " (nothing of it was loaded)");
            throw new PluginRuntimeException("refused plugin {}: {}", pluginPath.getFileName(), r.plugin().message());
        }
        LoadedSkill skill = ((Admission.Admitted) admission).skill();
        if (disabled.contains(skill.id())) {
            synchronized (refused) {
                disabledSkills.add(skill);
            }
            LOG.log(System.Logger.Level.INFO, "Plugin " + skill.id() + " is disabled; verified but not loaded");
            throw new PluginRuntimeException("plugin {} is disabled", skill.id());
        }
        PluginWrapper wrapper = super.loadPluginFromPath(skill.verifiedJar());
        admitted.put(wrapper.getPluginId(), skill);
        ai.clawbot.host.observe.StartupTrace.mark("plugin " + skill.id() + " verified");
        LOG.log(System.Logger.Level.INFO, "Loaded plugin " + skill.id() + "@" + skill.manifest().version()
                + " from " + pluginPath.getFileName() + ", signed by " + skill.signerName() + " (" + skill.signerKeyId() + ")");
        return wrapper;
    }

    List<LoadedSkill> admitted() {
        return getPlugins().stream().map(w -> admitted.get(w.getPluginId())).filter(java.util.Objects::nonNull).toList();
    }

    List<LoadedSkill> disabledSkills() {
        synchronized (refused) {
            return List.copyOf(disabledSkills);
        }
    }

    List<RefusedPlugin> refused() {
        synchronized (refused) {
            return List.copyOf(refused);
        }
    }
}

package ai.clawbot.host.skills;

import ai.clawbot.host.config.StateDir;
import java.io.IOException;

/**
 * The current {@link SkillCatalog}, reloadable: every reload re-verifies every jar against the trust store
 * as it is now, so revocations and removals take effect without trusting anything loaded before.
 */
public final class SkillService {

    private final StateDir state;
    private final PluginInstaller installer;
    private volatile SkillCatalog catalog;
    private volatile java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> plugins = () -> null;
    private volatile Configured configured;

    /** A configured view, kept while neither the plugins nor their configuration change. */
    private record Configured(SkillCatalog raw, com.fasterxml.jackson.databind.JsonNode plugins, SkillCatalog view) {
    }

    private SkillService(StateDir state, SkillCatalog catalog) throws IOException {
        this.state = state;
        this.catalog = catalog;
        this.installer = new PluginInstaller(state);
    }

    public static SkillService load(StateDir state) throws IOException {
        return new SkillService(state, SkillCatalog.load(state));
    }

    /** Where the operator's configuration of plugins comes from (the {@code plugins} object of {@code openclaw.json}). */
    public SkillService withConfig(java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> pluginsConfig) {
        this.plugins = pluginsConfig;
        this.configured = null;
        return this;
    }

    /** The verified plugins with the current configuration applied (settings, granted endpoints). */
    public SkillCatalog catalog() {
        SkillCatalog raw = catalog;
        com.fasterxml.jackson.databind.JsonNode p = plugins.get();
        Configured c = configured;
        if (c != null && c.raw() == raw && java.util.Objects.equals(c.plugins(), p)) {
            return c.view();
        }
        Configured fresh = new Configured(raw, p, raw.configured(p));
        configured = fresh;
        return fresh.view();
    }

    /**
     * The egress each loaded skill's operator configuration grants (before agent or session policy narrows it), by
     * skill id: for the security audit and for anyone asking "what may this skill reach beyond its manifest".
     */
    public java.util.Map<String, java.util.List<ai.clawbot.host.sandbox.egress.EgressGrant>> effectiveGrants() {
        java.util.Map<String, java.util.List<ai.clawbot.host.sandbox.egress.EgressGrant>> out = new java.util.TreeMap<>();
        catalog().skills().forEach(s -> out.put(s.id(), s.config().grants()));
        return out;
    }

    public StateDir state() {
        return state;
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
        return catalog();
    }
}

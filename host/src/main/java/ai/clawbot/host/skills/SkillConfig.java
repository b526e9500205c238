package ai.clawbot.host.skills;

import ai.clawbot.host.config.ConfigProblem;
import ai.clawbot.host.sandbox.egress.EgressGrant;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.SkillManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * A skill's operator configuration as it runs: the settings object the tool server reads (the old string
 * {@code settings} map, with {@code config} validated against the manifest's schema and its defaults merged over
 * it), the egress the operator granted through those settings, and what is wrong with them (then the skill's
 * calls are refused with these problems, and no grant applies).
 */
public record SkillConfig(ObjectNode settings, List<EgressGrant> grants, List<ConfigProblem> problems) {

    public static final SkillConfig NONE = new SkillConfig(JsonNodeFactory.instance.objectNode(), List.of(), List.of());

    public SkillConfig {
        settings = settings == null ? JsonNodeFactory.instance.objectNode() : settings.deepCopy();
        grants = List.copyOf(grants);
        problems = List.copyOf(problems);
    }

    /**
     * The manifest as configured: the granted endpoints join its allowlist (as {@code host:port}, or {@code *:port}
     * for any public host), so that policy narrows them like any other host and the warm-pool key changes with them.
     */
    public SkillManifest applyTo(SkillManifest manifest) {
        List<String> allow = new ArrayList<>(manifest.network().allow());
        grants.forEach(g -> {
            if (!allow.contains(g.toString())) {
                allow.add(g.toString());
            }
        });
        return new SkillManifest(manifest.id(), manifest.version(), manifest.description(), manifest.tools(),
                manifest.sandbox(), manifest.permissions(), new NetworkPolicy(allow, manifest.network().grants()),
                manifest.settings());
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}

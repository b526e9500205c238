package ai.clawbot.host.skills;

import java.util.List;
import java.util.Map;

/**
 * Other names a skill answers to where people type them ({@code skills.list}, {@code tools.invoke}): OpenClaw calls
 * its secrets skill {@code 1password}, which cannot be a manifest id (ids start with a letter), so ours is
 * {@code onepassword} with {@code 1password} as its alias. Policy, approvals and transcripts use the id only.
 */
public final class SkillAliases {

    private static final Map<String, String> ALIASES = Map.of("1password", "onepassword");

    private SkillAliases() {
    }

    /** The skill id {@code name} stands for (itself when it is no alias). */
    public static String canonical(String name) {
        return name == null ? null : ALIASES.getOrDefault(name, name);
    }

    /** The aliases of a skill id, sorted. */
    public static List<String> of(String skillId) {
        return ALIASES.entrySet().stream().filter(e -> e.getValue().equals(skillId)).map(Map.Entry::getKey).sorted().toList();
    }
}

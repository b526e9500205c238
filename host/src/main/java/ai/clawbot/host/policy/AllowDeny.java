package ai.clawbot.host.policy;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One layer's allow and deny patterns for skills ({@code id}, {@code *}) or tools ({@code skill.tool},
 * {@code skill.*}, {@code *}). An absent allow list does not narrow; a present one, even empty, narrows to
 * what it lists. Deny always wins.
 */
public record AllowDeny(Optional<Set<String>> allow, Set<String> deny) {

    /** Narrows nothing. */
    public static final AllowDeny OPEN = new AllowDeny(Optional.empty(), Set.of());

    public AllowDeny {
        allow = allow == null ? Optional.empty() : allow.map(AllowDeny::copy);
        deny = deny == null ? Set.of() : copy(deny);
        allow.ifPresent(a -> a.forEach(AllowDeny::requirePattern));
        deny.forEach(AllowDeny::requirePattern);
    }

    /** Skill patterns only; {@code allow} null means absent. */
    public static AllowDeny skills(Collection<String> allow, Collection<String> deny) {
        return of(allow, deny, PolicyNames::isSkillPattern, "skill pattern (a skill id or *)");
    }

    /** Tool patterns only; {@code allow} null means absent. */
    public static AllowDeny tools(Collection<String> allow, Collection<String> deny) {
        return of(allow, deny, PolicyNames::isToolPattern, "tool pattern (skill.tool, skill.* or *)");
    }

    private static AllowDeny of(Collection<String> allow, Collection<String> deny, Predicate<String> valid,
                                String what) {
        if (allow != null) {
            allow.forEach(p -> require(valid, p, what));
        }
        if (deny != null) {
            deny.forEach(p -> require(valid, p, what));
        }
        return new AllowDeny(Optional.ofNullable(allow).map(Set::copyOf), deny == null ? Set.of() : Set.copyOf(deny));
    }

    public boolean denies(String name) {
        return denying(name).isPresent();
    }

    /** The first deny pattern (in sorted order, so the answer is stable) that covers {@code name}. */
    public Optional<String> denying(String name) {
        return deny.stream().sorted().filter(p -> PolicyNames.matches(p, name)).findFirst();
    }

    /** True when no allow list is present, or a pattern in it covers {@code name}. */
    public boolean allows(String name) {
        return allow.map(a -> a.stream().anyMatch(p -> PolicyNames.matches(p, name))).orElse(true);
    }

    private static Set<String> copy(Collection<String> c) {
        c.forEach(p -> {
            if (p == null) {
                throw new IllegalArgumentException("a policy pattern is null");
            }
        });
        return Set.copyOf(new LinkedHashSet<>(c));
    }

    private static void requirePattern(String p) {
        require(x -> PolicyNames.isSkillPattern(x) || PolicyNames.isToolPattern(x), p,
                "policy pattern (a skill id, skill.tool, skill.* or *)");
    }

    private static void require(Predicate<String> valid, String p, String what) {
        if (!valid.test(p)) {
            throw new IllegalArgumentException(PolicyNames.quote(p) + " is not a " + what + "; skill ids match "
                    + PolicyNames.SKILL_ID + ", tool names " + PolicyNames.TOOL_NAME);
        }
    }
}

package ai.clawbot.host.registry;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.NetworkGrant;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plugin may do that the installed version may not (and what it gives up), line by line: tools and their
 * effects, workspace access, secrets, network hosts and operator grants, image. {@link #widens()} is true when
 * anything was added or raised; an update that widens needs the operator's yes again.
 */
public record PermissionDiff(Optional<String> fromVersion, List<Change> changes) {

    public PermissionDiff {
        changes = List.copyOf(changes);
    }

    /** One difference; {@code widens} when the new version may do more. */
    public record Change(String what, String from, String to, boolean widens) {
        public String line() {
            return (widens ? "+ " : "- ") + what + ": " + (from == null ? "(none)" : from) + " -> " + (to == null ? "(none)" : to);
        }
    }

    public boolean widens() {
        return changes.stream().anyMatch(Change::widens);
    }

    public boolean fresh() {
        return fromVersion.isEmpty();
    }

    /** For the operator: one line per change, or a sentence when there is nothing to compare. */
    public String describe() {
        if (fromVersion.isEmpty()) {
            return "permission diff: not installed yet; everything above is new";
        }
        if (changes.isEmpty()) {
            return "permission diff against installed " + fromVersion.get() + ": no change";
        }
        StringBuilder b = new StringBuilder("permission diff against installed " + fromVersion.get()
                + (widens() ? " (WIDENS permissions)" : " (narrows only)") + ":");
        changes.forEach(c -> b.append("\n  ").append(c.line()));
        return b.toString();
    }

    public static PermissionDiff between(Optional<SkillManifest> installed, SkillManifest next) {
        if (installed.isEmpty()) {
            return new PermissionDiff(Optional.empty(), List.of());
        }
        SkillManifest old = installed.get();
        List<Change> out = new ArrayList<>();
        for (ToolDeclaration t : next.tools()) {
            Optional<ToolDeclaration> before = old.tool(t.name());
            if (before.isEmpty()) {
                out.add(new Change("tool " + t.name(), null, t.effect().wire(), true));
            } else if (before.get().effect() != t.effect()) {
                out.add(new Change("tool " + t.name(), before.get().effect().wire(), t.effect().wire(),
                        rank(t.effect()) > rank(before.get().effect())));
            }
        }
        for (ToolDeclaration t : old.tools()) {
            if (next.tool(t.name()).isEmpty()) {
                out.add(new Change("tool " + t.name(), t.effect().wire(), null, false));
            }
        }
        WorkspaceAccess wa = old.permissions().workspace();
        WorkspaceAccess wb = next.permissions().workspace();
        if (wa != wb) {
            out.add(new Change("workspace", wa.wire(), wb.wire(), wb.ordinal() > wa.ordinal()));
        }
        sets("secret", old.permissions().secrets(), next.permissions().secrets(), out);
        sets("network", old.network().allow(), next.network().allow(), out);
        sets("operator grant", old.network().grants().stream().map(PermissionDiff::grant).toList(),
                next.network().grants().stream().map(PermissionDiff::grant).toList(), out);
        String ia = old.sandbox().image();
        String ib = next.sandbox().image();
        if (!ia.equals(ib)) {
            out.add(new Change("sandbox image", ia, ib, true));
        }
        var ra = old.permissions().resources();
        var rb = next.permissions().resources();
        if (!ra.equals(rb)) {
            out.add(new Change("limits", ra.toString(), rb.toString(), true));
        }
        return new PermissionDiff(Optional.of(old.version()), out);
    }

    private static void sets(String what, List<String> before, List<String> after, List<Change> out) {
        Set<String> a = new LinkedHashSet<>(before);
        Set<String> b = new LinkedHashSet<>(after);
        b.stream().filter(x -> !a.contains(x)).forEach(x -> out.add(new Change(what, null, x, true)));
        a.stream().filter(x -> !b.contains(x)).forEach(x -> out.add(new Change(what, x, null, false)));
    }

    private static String grant(NetworkGrant g) {
        return g.setting() + (g.ports().isEmpty() ? " any port" : " ports " + g.ports())
                + (g.schemes().isEmpty() ? "" : " schemes " + g.schemes()) + (g.anyHost() ? " any public host" : "");
    }

    private static int rank(Effect e) {
        return switch (e.wire()) {
            case "read" -> 0;
            case "write" -> 1;
            case "external" -> 2;
            default -> 3;
        };
    }
}

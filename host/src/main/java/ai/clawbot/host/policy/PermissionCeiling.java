package ai.clawbot.host.policy;

import ai.clawbot.host.secrets.SecretNames;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The most one layer lets any skill have. Each part, when absent, does not narrow.
 *
 * @param workspace the highest workspace access ({@code none < ro < rw})
 * @param network   the reachable hosts: {@code host:port} (that port) or {@code host} (any port); empty = none
 * @param secrets   the secret names a skill may receive
 */
public record PermissionCeiling(Optional<WorkspaceAccess> workspace, Optional<Set<String>> network,
                                Optional<Set<String>> secrets) {

    /** Narrows nothing. */
    public static final PermissionCeiling OPEN = new PermissionCeiling(Optional.empty(), Optional.empty(),
            Optional.empty());

    // The manifest schema's host:port rule, with the port optional (a ceiling may allow every port of a host).
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?(:[1-9][0-9]{0,4})?");

    public PermissionCeiling {
        workspace = workspace == null ? Optional.empty() : workspace;
        network = network == null ? Optional.empty() : network.map(Set::copyOf);
        secrets = secrets == null ? Optional.empty() : secrets.map(Set::copyOf);
        network.ifPresent(hosts -> hosts.forEach(PermissionCeiling::requireHost));
        secrets.ifPresent(names -> names.forEach(SecretNames::requireValid));
    }

    /** Whether this ceiling lets a skill reach {@code entry}, a manifest allowlist entry {@code host:port}. */
    public boolean allowsHost(String entry) {
        return network.map(hosts -> hosts.stream().anyMatch(h -> covers(h, entry))).orElse(true);
    }

    public boolean allowsSecret(String name) {
        return secrets.map(s -> s.contains(name)).orElse(true);
    }

    /** Host names compare case-insensitively (DNS does); a ceiling entry without a port covers every port. */
    static boolean covers(String ceiling, String entry) {
        String c = ceiling.toLowerCase(Locale.ROOT);
        String e = entry.toLowerCase(Locale.ROOT);
        if (c.equals(e)) {
            return true;
        }
        int colon = e.lastIndexOf(':');
        return c.indexOf(':') < 0 && colon > 0 && c.equals(e.substring(0, colon));
    }

    private static void requireHost(String h) {
        boolean ok = h != null && HOST.matcher(h).matches();
        if (ok && h.indexOf(':') > 0) {
            ok = Integer.parseInt(h.substring(h.indexOf(':') + 1)) <= 65535;
        }
        if (!ok) {
            throw new IllegalArgumentException(PolicyNames.quote(h)
                    + " is not a network host: use host or host:port (no wildcards, no scheme)");
        }
    }
}

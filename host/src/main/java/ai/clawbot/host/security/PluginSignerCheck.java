package ai.clawbot.host.security;

import ai.clawbot.host.skills.InstalledPlugins.Installed;
import ai.clawbot.host.skills.RefusedPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Installed plugins that fail verification against the trust store as it is now: unsigned, signed by a key not in
 * the store (or revoked), or bytes that changed after signing. The gateway refuses to load them; they should not
 * sit in the plugins folder waiting for someone to trust their key.
 */
record PluginSignerCheck() implements AuditCheck {

    static final String ID = "plugins.unverified";
    private static final Set<String> TAMPERED = Set.of("BAD_SIGNATURE", "JAR_MISMATCH", "MANIFEST_MISMATCH",
            "DESCRIPTOR_MISMATCH", "REVOKED_KEY", "REVOKED_JAR", "DOWNGRADE");

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        for (Installed p : c.plugins()) {
            if (p.refused().isEmpty()) {
                continue;
            }
            RefusedPlugin r = p.refused().get();
            String title = "plugin " + r.file() + " does not verify (" + r.reason() + ")";
            String fix = "remove it (rm " + c.state().plugins().resolve(r.file()) + "*) or, if you trust its publisher,"
                    + " claw trust add PUBKEY --name NAME";
            out.add(TAMPERED.contains(r.reason()) ? Finding.critical(ID, title, r.message(), "remove it: rm "
                    + c.state().plugins().resolve(r.file()) + "*") : Finding.warn(ID, title, r.message(), fix));
        }
        return out;
    }
}

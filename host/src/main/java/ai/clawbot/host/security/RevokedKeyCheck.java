package ai.clawbot.host.security;

import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A key that {@code revoked.json} lists is still pinned in {@code trust/keys/} (copied back by hand, or restored
 * from a backup). Verification refuses it, but the store contradicts itself and a tool that reads only the pins
 * would trust it. The trust store has no expiry dates; when it gets them, expired pins belong here too.
 */
record RevokedKeyCheck() implements AuditCheck {

    static final String ID = "trust.revoked_key_trusted";

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        if (c.trust().isEmpty()) {
            return out;
        }
        try {
            for (TrustStore.TrustedKey k : c.trust().get().pinned()) {
                Optional<TrustStore.Revocation> r = c.trust().get().revokedKey(k.keyId());
                r.ifPresent(rev -> out.add(Finding.critical(ID, "revoked key '" + k.name() + "' is still in the trust store",
                        "key " + k.keyId() + " was revoked " + rev.at() + " (" + rev.reason() + ") but "
                                + c.state().trust().resolve("keys").resolve(k.name() + ".pem") + " still pins it",
                        "rm " + c.state().trust().resolve("keys").resolve(k.name() + ".pem"))));
            }
        } catch (IOException e) {
            out.add(Finding.critical(ID, "the trust store cannot be read", e.getMessage(),
                    "fix or remove the file named above (a revocation list that cannot be read refuses every plugin)"));
        }
        return out;
    }
}

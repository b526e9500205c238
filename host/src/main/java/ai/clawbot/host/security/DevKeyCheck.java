package ai.clawbot.host.security;

import ai.clawbot.signing.Keys;
import ai.clawbot.signing.TrustStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The development key the bundled plugins are signed with is trusted. It is generated on the build machine and its
 * private half sits in {@code .dev-keys/} of the checkout: whoever can read that folder can sign plugins this
 * gateway loads. Fine for a development gateway, named so an operator knows what to revoke.
 */
record DevKeyCheck() implements AuditCheck {

    static final String ID = "trust.dev_key_trusted";
    static final String DEV_KEY_NAME = "dev-publisher";

    @Override
    public List<Finding> run(AuditContext c) {
        List<Finding> out = new ArrayList<>();
        if (c.trust().isEmpty()) {
            return out;
        }
        try {
            Set<String> bundled = bundledKeyIds();
            for (TrustStore.TrustedKey k : c.trust().get().keys()) {
                if (bundled.contains(k.keyId()) || k.name().equals(DEV_KEY_NAME)) {
                    out.add(Finding.warn(ID, "the bundled development key '" + k.name() + "' is trusted",
                            "key " + k.keyId() + " signs the bundled plugins; its private half is in the build checkout's"
                                    + " .dev-keys/, so anyone who can read that folder can sign plugins this gateway loads",
                            "for production, re-sign the plugins with your own key (claw keys generate) and revoke this"
                                    + " one: claw trust revoke " + k.keyId()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The key ids of the publisher keys bundled in the host jar (empty when the jar has none). */
    static Set<String> bundledKeyIds() throws IOException {
        Set<String> out = new HashSet<>();
        try (InputStream index = DevKeyCheck.class.getResourceAsStream("/bundled/index.txt")) {
            if (index == null) {
                return out;
            }
            for (String entry : new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (!entry.startsWith("trust/")) {
                    continue;
                }
                try (InputStream in = DevKeyCheck.class.getResourceAsStream("/bundled/" + entry.strip())) {
                    if (in != null) {
                        out.add(Keys.keyId(Keys.readPublic(new String(in.readAllBytes(), StandardCharsets.US_ASCII))));
                    }
                } catch (GeneralSecurityException e) {
                    // an unreadable bundled key trusts nothing; nothing to report
                }
            }
        }
        return out;
    }
}

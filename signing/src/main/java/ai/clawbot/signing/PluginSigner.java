package ai.clawbot.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;

/** Signs a plugin jar: builds the statement from the jar's own bytes and signs it with Ed25519. */
public final class PluginSigner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PluginSigner() {
    }

    public static PluginSignature sign(byte[] jar, PrivateKey key, PublicKey publicKey, Instant now)
            throws IOException, GeneralSecurityException {
        JarFacts facts = JarInspector.inspect(jar);
        SignatureStatement statement = new SignatureStatement(facts.pluginId(), facts.version(), facts.jarSha256(),
                facts.manifestSha256(), facts.image(), now.toString(), Keys.keyId(publicKey));
        byte[] statementBytes = JSON.writeValueAsBytes(statement);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(PluginSignature.signedMessage(statementBytes));
        return new PluginSignature(statementBytes, s.sign());
    }
}

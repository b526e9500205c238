package ai.clawbot.signing;

import ai.clawbot.signing.TrustStore.TrustedKey;
import ai.clawbot.signing.Verification.Reason;
import ai.clawbot.signing.Verification.Rejected;
import ai.clawbot.signing.Verification.Verified;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Optional;

/**
 * Verifies a plugin jar's bytes against its detached signature and the trust store. The caller passes
 * the bytes it will load (see the host's staging loader), so what is verified is what is used.
 */
public final class PluginVerifier {

    /** The name a valid Ed25519 signature is remembered under ({@link CheckMemo}). */
    static final String SIGNATURE_CHECK = "ed25519";

    private final TrustStore trust;
    private final CheckMemo memo;

    private PluginVerifier(TrustStore trust, CheckMemo memo) {
        this.trust = trust;
        this.memo = memo;
    }

    public static PluginVerifier create(TrustStore trust) {
        return new PluginVerifier(trust, CheckMemo.NONE);
    }

    /**
     * As above, not repeating the Ed25519 arithmetic for a signature that verified before with the same key over the
     * same statement, nor the structure checks of a jar whose exact bytes passed them ({@code memo}); whether the key is
     * trusted, revoked or rotated out, the jar's hash and revocation, and the minimum version are decided every time.
     */
    public static PluginVerifier create(TrustStore trust, CheckMemo memo) {
        return new PluginVerifier(trust, memo);
    }

    /**
     * @param jar       the jar's bytes
     * @param signature the signature file's bytes, or {@code null} when there is none
     */
    public Verification verify(byte[] jar, byte[] signature) throws IOException {
        if (signature == null) {
            return new Rejected(Reason.UNSIGNED, "no signature (" + PluginSignature.SUFFIX + " file) next to the jar");
        }
        if (jar.length > JarInspector.MAX_JAR_BYTES) {
            return new Rejected(Reason.TOO_LARGE, "jar is over " + JarInspector.MAX_JAR_BYTES + " bytes");
        }
        PluginSignature sig;
        SignatureStatement statement;
        try {
            sig = PluginSignature.parse(signature);
            statement = sig.statement();
        } catch (IOException e) {
            return new Rejected(Reason.MALFORMED_SIGNATURE, "unreadable signature: " + e.getMessage());
        }
        if (statement.keyId() != null) {
            Optional<TrustStore.Revocation> revoked = trust.revokedKey(statement.keyId());
            if (revoked.isPresent()) {
                return new Rejected(Reason.REVOKED_KEY, "signed by key " + statement.keyId() + ", revoked "
                        + revoked.get().at() + " (" + revoked.get().reason() + ")");
            }
        }
        KeyRotations.View keys = trust.rotations();
        Optional<TrustedKey> key = statement.keyId() == null ? Optional.empty() : keys.find(statement.keyId());
        if (key.isEmpty()) {
            Optional<KeyRotations.Rotation> retired = statement.keyId() == null ? Optional.empty() : keys.retired(statement.keyId());
            return new Rejected(Reason.UNTRUSTED_KEY, retired.isPresent()
                    ? "signed by key " + statement.keyId() + " of " + retired.get().name() + ", rotated to "
                    + retired.get().newKeyId() + "; its grace period ended " + retired.get().graceUntil()
                    : "signed by key " + statement.keyId() + ", which is not in the trust store");
        }
        if (!signatureValid(sig, key.get(), memo)) {
            return new Rejected(Reason.BAD_SIGNATURE, "signature does not verify with key " + key.get().name()
                    + " (" + statement.keyId() + ")");
        }
        String jarSha = Sha256.hex(jar);
        if (!jarSha.equals(statement.jarSha256())) {
            return new Rejected(Reason.JAR_MISMATCH, "jar bytes changed after signing: SHA-256 is " + jarSha
                    + ", the signature is for " + statement.jarSha256());
        }
        Optional<TrustStore.Revocation> revokedJar = trust.revokedJar(jarSha);
        if (revokedJar.isPresent()) {
            return new Rejected(Reason.REVOKED_JAR, "this jar (" + jarSha + ") was revoked " + revokedJar.get().at()
                    + " (" + revokedJar.get().reason() + ")");
        }
        JarFacts facts;
        try {
            facts = JarInspector.inspect(jar, memo);
        } catch (IOException e) {
            return new Rejected(Reason.MALFORMED_JAR, e.getMessage());
        }
        if (!facts.manifestSha256().equals(statement.manifestSha256())) {
            return new Rejected(Reason.MANIFEST_MISMATCH, "skill manifest does not match the signed statement");
        }
        if (!facts.pluginId().equals(statement.pluginId()) || !facts.version().equals(statement.version())) {
            return new Rejected(Reason.DESCRIPTOR_MISMATCH, "jar says " + facts.pluginId() + "@" + facts.version()
                    + " but the signature is for " + statement.pluginId() + "@" + statement.version());
        }
        if (!SemVer.isValid(facts.version())) {
            return new Rejected(Reason.DESCRIPTOR_MISMATCH, "plugin version '" + facts.version() + "' is not a semantic version");
        }
        Optional<SemVer> minimum = trust.minimumVersion(facts.pluginId());
        if (minimum.isPresent() && SemVer.parse(facts.version()).compareTo(minimum.get()) < 0) {
            return new Rejected(Reason.DOWNGRADE, facts.pluginId() + "@" + facts.version()
                    + " is older than the minimum accepted version " + minimum.get() + " (rollback refused)");
        }
        return new Verified(facts, statement, key.get());
    }

    private static boolean signatureValid(PluginSignature sig, TrustedKey key, CheckMemo memo) {
        byte[] checked = memoInput(key.key().getEncoded(), sig.signature(), sig.signedMessage());
        if (memo.passed(SIGNATURE_CHECK, checked)) {
            return true;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key.key());
            s.update(sig.signedMessage());
            boolean valid = s.verify(sig.signature());
            if (valid) {
                memo.record(SIGNATURE_CHECK, checked);
            }
            return valid;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Key, signature and message, each but the last prefixed by its length, so no two triples give the same bytes. */
    static byte[] memoInput(byte[] key, byte[] signature, byte[] message) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + key.length + signature.length + message.length);
        b.putInt(key.length).put(key).putInt(signature.length).put(signature).put(message);
        return b.array();
    }
}

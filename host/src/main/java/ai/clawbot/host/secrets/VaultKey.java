package ai.clawbot.host.secrets;

import ai.clawbot.host.secrets.SecretsException.Kind;
import ai.clawbot.signing.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's AES-256 key, and the only code that uses it: values are sealed with AES-GCM under a fresh
 * random 12-byte nonce, with the secret's name as associated data, so a value moved to another name inside
 * the file no longer authenticates. The key bytes never leave this class.
 */
final class VaultKey {

    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String AD_PREFIX = "openclaw-vault/v1\0";
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String source;

    private VaultKey(byte[] raw, String source) {
        this.key = new SecretKeySpec(raw, "AES");
        this.source = source;
        Arrays.fill(raw, (byte) 0);
    }

    /** The key from {@code OPENCLAW_VAULT_KEY}; its value is never echoed, even when it is wrong. */
    static VaultKey fromBase64(String encoded, String variable) throws SecretsException {
        byte[] raw;
        try {
            String s = encoded.strip();
            raw = (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw new SecretsException(Kind.KEY, variable + " is not valid base64; " + howToGenerate());
        }
        if (raw.length != KEY_BYTES) {
            int n = raw.length;
            Arrays.fill(raw, (byte) 0);
            throw new SecretsException(Kind.KEY, variable + " must decode to " + KEY_BYTES + " bytes, not " + n + "; " + howToGenerate());
        }
        return new VaultKey(raw, variable);
    }

    /**
     * The key from its file. A key readable by anyone but its owner is refused rather than used: whoever can
     * read it can read every secret, so using it would quietly hide the leak.
     */
    static VaultKey readFile(Path file) throws SecretsException {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new SecretsException(Kind.KEY, "no vault key: OPENCLAW_VAULT_KEY is not set and " + file + " does not exist");
        } catch (IOException e) {
            throw new SecretsException(Kind.IO, "cannot read vault key " + file + ": " + e, e);
        }
        if (!attrs.isRegularFile()) {
            // A symlink could point the vault at a key someone else controls or can read.
            throw new SecretsException(Kind.KEY, "vault key " + file + " must be a regular file, not a link or folder");
        }
        Set<PosixFilePermission> loose = EnumSet.copyOf(attrs.permissions());
        loose.retainAll(GROUP_OR_OTHERS);
        if (!loose.isEmpty()) {
            throw new SecretsException(Kind.KEY, "vault key " + file + " is accessible by group or others (mode "
                    + PosixFilePermissions.toString(attrs.permissions()) + "); refusing to use it. Run: chmod 600 " + file);
        }
        if (attrs.size() != KEY_BYTES) {
            throw new SecretsException(Kind.KEY, "vault key " + file + " holds " + attrs.size() + " bytes, not " + KEY_BYTES);
        }
        try {
            return new VaultKey(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new SecretsException(Kind.IO, "cannot read vault key " + file + ": " + e, e);
        }
    }

    /**
     * Creates the key file with fresh random bytes, owner-only from its first byte (the temp file is created
     * 0600, not chmod-ed later), fsync-ed with its folder before any secret is sealed under it: losing the key
     * after a crash would lose every secret. The caller holds the vault lock and has seen no key file.
     */
    static VaultKey createFile(Path file) throws SecretsException {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        try {
            AtomicFiles.replace(file, raw);
            return new VaultKey(raw, file.toString());
        } catch (IOException e) {
            Arrays.fill(raw, (byte) 0);
            throw new SecretsException(Kind.IO, "cannot create vault key " + file + ": " + e, e);
        }
    }

    SealedValue seal(String name, byte[] value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            return new SealedValue(nonce, cipher(Cipher.ENCRYPT_MODE, name, nonce).doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
        }
    }

    byte[] open(String name, SealedValue sealed) throws SecretsException {
        try {
            return cipher(Cipher.DECRYPT_MODE, name, sealed.nonce()).doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            // GCM cannot tell a wrong key from a changed byte or a moved value, and neither may leak anything.
            throw new SecretsException(Kind.CORRUPT, "cannot decrypt secret " + name + ": wrong vault key or tampered vault");
        } catch (GeneralSecurityException e) {
            throw new SecretsException(Kind.CORRUPT, "cannot decrypt secret " + name + ": " + e.getClass().getSimpleName());
        }
    }

    private Cipher cipher(int mode, String name, byte[] nonce) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD((AD_PREFIX + name).getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private static String howToGenerate() {
        return "generate one with: head -c 32 /dev/urandom | base64";
    }

    @Override
    public String toString() {
        return "VaultKey[from " + source + "]";
    }
}

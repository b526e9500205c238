package ai.clawbot.host.secrets;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.secrets.SecretsException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The encrypted secrets vault in {@code $OPENCLAW_STATE_DIR/secrets/}: {@code vault.json} holds every value
 * sealed with AES-256-GCM (see {@link VaultKey}); the key comes from {@code OPENCLAW_VAULT_KEY} (base64) or,
 * when that is unset, from {@code vault.key} beside the vault, created on the first {@link #set}.
 *
 * <p>The key file protects a vault that leaves the machine without it (a backup, a synced folder, a pasted
 * file); it does not protect against someone who can read the state folder as this user. Keeping the key in
 * the environment (or a secret manager feeding it) separates the two.
 *
 * <p>Every call reads the files afresh, so a running gateway sees what {@code claw secrets} changed. Changes
 * take a lock file, so two writers never lose each other's update.
 */
public final class FileVault implements SecretsProvider {

    /** Larger values are refused: secrets are tokens and keys, not files to ship into a sandbox. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    public static final String KEY_VARIABLE = "OPENCLAW_VAULT_KEY";

    // FileChannel locks are per process; threads of one JVM queue here first.
    private static final Object JVM_LOCK = new Object();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final StateDir state;
    private final Path folder;
    private final VaultKey envKey;

    private FileVault(StateDir state, VaultKey envKey) {
        this.state = state;
        this.folder = state.root().resolve("secrets");
        this.envKey = envKey;
    }

    /**
     * Opens the vault of {@code state}; nothing is created until the first {@link #set}. A malformed
     * {@code OPENCLAW_VAULT_KEY} fails here, at startup, rather than at the first tool call.
     */
    public static FileVault open(StateDir state, Map<String, String> env) throws SecretsException {
        String encoded = env.get(KEY_VARIABLE);
        VaultKey key = encoded == null || encoded.isBlank() ? null : VaultKey.fromBase64(encoded, KEY_VARIABLE);
        return new FileVault(state, key);
    }

    public Path folder() {
        return folder;
    }

    public Path file() {
        return folder.resolve("vault.json");
    }

    public Path keyFile() {
        return folder.resolve("vault.key");
    }

    /**
     * Stores {@code value} under {@code name}, replacing any value it had. The caller may zero {@code value}
     * afterwards; nothing keeps a reference to it.
     *
     * @throws IllegalArgumentException for an invalid name, or a value that is empty or over {@link #MAX_VALUE_BYTES}
     * @throws SecretsException when the key is unusable or does not open the secrets already stored
     */
    public void set(String name, byte[] value) throws SecretsException {
        SecretNames.requireValid(name);
        if (value == null || value.length == 0) {
            // Almost always a mistake (an unset variable piped in), and an empty token never works.
            throw new IllegalArgumentException("the value of secret " + name + " is empty");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("the value of secret " + name + " has " + value.length
                    + " bytes; the limit is " + MAX_VALUE_BYTES);
        }
        locked(() -> {
            SortedMap<String, SealedValue> entries = VaultFile.read(file());
            VaultKey key = keyForWriting(entries);
            checkKeyOpensVault(key, entries, name);
            entries.put(name, key.seal(name, value));
            VaultFile.write(file(), entries);
            return null;
        });
    }

    /** Removes {@code name}; false when there was no such secret. Needs no key. */
    public boolean remove(String name) throws SecretsException {
        SecretNames.requireValid(name);
        if (!Files.exists(file())) {
            return false;
        }
        return locked(() -> {
            SortedMap<String, SealedValue> entries = VaultFile.read(file());
            if (entries.remove(name) == null) {
                return false;
            }
            VaultFile.write(file(), entries);
            return true;
        });
    }

    /** The names of the stored secrets, sorted; no value is decrypted. */
    public List<String> names() throws SecretsException {
        return List.copyOf(VaultFile.read(file()).keySet());
    }

    /**
     * The values of {@code names}. Every missing name is reported at once, so an operator fixes them in one go.
     */
    @Override
    public Map<String, byte[]> resolve(Collection<String> names) throws SecretsException {
        TreeSet<String> wanted = new TreeSet<>();
        for (String n : names) {
            wanted.add(SecretNames.requireValid(n));
        }
        if (wanted.isEmpty()) {
            return Map.of();
        }
        SortedMap<String, SealedValue> entries = VaultFile.read(file());
        List<String> missing = new ArrayList<>();
        for (String n : wanted) {
            if (!entries.containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            throw new SecretsException(Kind.MISSING, (missing.size() == 1 ? "secret not found: " : "secrets not found: ")
                    + String.join(", ", missing) + "; store it with: claw secrets set " + missing.get(0));
        }
        VaultKey key = keyForReading();
        Map<String, byte[]> values = new LinkedHashMap<>();
        try {
            for (String n : wanted) {
                values.put(n, key.open(n, entries.get(n)));
            }
        } catch (SecretsException e) {
            values.values().forEach(v -> Arrays.fill(v, (byte) 0));
            throw e;
        }
        return Collections.unmodifiableMap(values);
    }

    private VaultKey keyForReading() throws SecretsException {
        return envKey != null ? envKey : VaultKey.readFile(keyFile());
    }

    /** The key to seal with; the key file is created only for an empty vault, never to replace a lost key. */
    private VaultKey keyForWriting(SortedMap<String, SealedValue> entries) throws SecretsException {
        if (envKey != null || Files.exists(keyFile(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return keyForReading();
        }
        if (!entries.isEmpty()) {
            throw new SecretsException(Kind.KEY, "the vault " + file() + " holds secrets but its key " + keyFile()
                    + " is missing and " + KEY_VARIABLE + " is not set; restore the key, or remove the vault to start over");
        }
        return VaultKey.createFile(keyFile());
    }

    /**
     * One vault, one key: sealing a value under another key than the stored ones would leave a vault that no
     * single key opens. Any other entry proves the key (or reveals tampering) without decrypting them all.
     */
    private static void checkKeyOpensVault(VaultKey key, SortedMap<String, SealedValue> entries, String replaced)
            throws SecretsException {
        for (Map.Entry<String, SealedValue> e : entries.entrySet()) {
            if (!e.getKey().equals(replaced)) {
                try {
                    Arrays.fill(key.open(e.getKey(), e.getValue()), (byte) 0);
                } catch (SecretsException x) {
                    throw new SecretsException(Kind.KEY, x.getMessage() + "; nothing was stored (one vault takes one key)");
                }
                return;
            }
        }
    }

    private interface Change<T> {
        T apply() throws SecretsException;
    }

    private <T> T locked(Change<T> change) throws SecretsException {
        synchronized (JVM_LOCK) {
            try {
                ensureFolder();
                try (FileChannel ch = FileChannel.open(folder.resolve("vault.lock"),
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OWNER_ONLY)) {
                    ch.lock(); // released when the channel closes
                    return change.apply();
                }
            } catch (IOException e) {
                throw new SecretsException(Kind.IO, "cannot lock the vault in " + folder + ": " + e, e);
            }
        }
    }

    private void ensureFolder() throws IOException {
        state.ensureRoot();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Override
    public String toString() {
        return "FileVault[" + folder + (envKey != null ? ", key from " + KEY_VARIABLE : "") + "]";
    }
}

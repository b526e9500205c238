package ai.clawbot.host.sandbox;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Puts a call's secrets where only its container can read them: one folder per container on a host
 * tmpfs (never on disk), files mode 0400 owned by the sandbox user, bind-mounted read-only at
 * {@code /run/secrets}. Never environment variables (visible to {@code docker inspect}), labels or logs.
 */
final class SecretMounts {

    static final String MOUNT_POINT = "/run/secrets";
    private final Path base;

    SecretMounts(Path base) {
        this.base = base;
    }

    static SecretMounts onHostTmpfs() {
        return new SecretMounts(Path.of("/dev/shm", "clawbot-secrets"));
    }

    /**
     * Where a skill's settings file goes ({@value #SETTINGS_MOUNT_POINT}/{@value #SETTINGS_FILE}, read-only): the
     * same care as secrets, since settings may carry a header or a user name the operator would not publish.
     */
    static SecretMounts settingsOnHostTmpfs() {
        return new SecretMounts(Path.of("/dev/shm", "clawbot-settings"));
    }

    static final String SETTINGS_MOUNT_POINT = "/run/clawbot";
    static final String SETTINGS_FILE = "settings.json";

    /** A new folder holding the secrets, readable by the sandbox user only. */
    Path materialize(Map<String, byte[]> secrets, String uidGid) throws IOException {
        Files.createDirectories(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
        FileStore store = Files.getFileStore(base);
        if (!"tmpfs".equals(store.type())) {
            throw new IOException(base + " is not on tmpfs (" + store.type() + "); refusing to write secrets to disk");
        }
        Path dir = Files.createTempDirectory(base, "s");
        int uid = Integer.parseInt(uidGid.substring(0, uidGid.indexOf(':')));
        int gid = Integer.parseInt(uidGid.substring(uidGid.indexOf(':') + 1));
        for (Map.Entry<String, byte[]> e : secrets.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.write(f, e.getValue());
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
            chown(f, uid, gid);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        chown(dir, uid, gid);
        return dir;
    }

    /** Overwrites and deletes a secrets folder. */
    void destroy(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                    byte[] zeros = new byte[(int) Math.min(Files.size(f), 1 << 20)];
                    Arrays.fill(zeros, (byte) 0);
                    Files.write(f, zeros);
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        } catch (IOException e) {
            System.getLogger(SecretMounts.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove a secrets folder " + dir + ": " + e.getMessage());
        }
    }

    private static void chown(Path p, int uid, int gid) throws IOException {
        try {
            Files.setAttribute(p, "unix:uid", uid);
            Files.setAttribute(p, "unix:gid", gid);
        } catch (IOException | UnsupportedOperationException e) {
            // Not root: the files already belong to the gateway's user, which is the sandbox user then.
        }
    }
}

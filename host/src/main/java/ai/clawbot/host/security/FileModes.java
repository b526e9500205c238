package ai.clawbot.host.security;

import ai.clawbot.host.config.StateDir;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modes the state folder's sensitive files must have, and the fix ({@code chmod go-...}) that both the audit's
 * hint and {@code claw doctor --fix} apply. Symbolic links are never followed: tightening a link's target could
 * change a file outside the state folder.
 */
public final class FileModes {

    private static final Set<PosixFilePermission> GROUP_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private FileModes() {
    }

    /**
     * A path and the permission bits it must not have.
     *
     * @param area      the audit check id's stem ({@code fs.config}); a finding adds {@code .perms_readable} or
     *                  {@code .perms_writable}, as OpenClaw names them
     * @param what      what the file is, for the finding
     * @param forbidden bits that must be clear
     */
    public record Rule(String area, Path path, String what, Set<PosixFilePermission> forbidden) {

        /** The forbidden bits the path has now (empty when it is fine, absent or a link). */
        public Set<PosixFilePermission> excess() throws IOException {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
                return Set.of();
            }
            Set<PosixFilePermission> have = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
            have.retainAll(forbidden);
            return have;
        }

        public String mode() throws IOException {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        }

        /** Clears the forbidden bits; returns whether anything changed. */
        public boolean tighten() throws IOException {
            Set<PosixFilePermission> excess = excess();
            if (excess.isEmpty()) {
                return false;
            }
            Set<PosixFilePermission> have = EnumSet.copyOf(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
            have.removeAll(forbidden);
            Files.setPosixFilePermissions(path, have);
            return true;
        }

        public String chmod() {
            StringBuilder who = new StringBuilder();
            StringBuilder bits = new StringBuilder();
            if (forbidden.stream().anyMatch(p -> p.name().startsWith("GROUP"))) {
                who.append('g');
            }
            if (forbidden.stream().anyMatch(p -> p.name().startsWith("OTHERS"))) {
                who.append('o');
            }
            if (forbidden.stream().anyMatch(p -> p.name().endsWith("READ"))) {
                bits.append('r');
            }
            if (forbidden.stream().anyMatch(p -> p.name().endsWith("WRITE"))) {
                bits.append('w');
            }
            if (forbidden.stream().anyMatch(p -> p.name().endsWith("EXECUTE"))) {
                bits.append('x');
            }
            return "chmod " + who + "-" + bits + " " + path;
        }

        /** The check id a deviation is reported under. */
        public String checkId(Set<PosixFilePermission> excess) {
            return area + (writable(excess) ? ".perms_writable" : ".perms_readable");
        }

        /** Whether a deviation lets others change the file (critical) rather than read it (warn). */
        public boolean writable(Set<PosixFilePermission> excess) {
            return excess.stream().anyMatch(WRITE::contains);
        }
    }

    /** The rules for a state folder: owner-only for everything secret, not writable by others for public keys. */
    public static List<Rule> rules(StateDir state) throws IOException {
        List<Rule> out = new ArrayList<>();
        Path root = state.root();
        out.add(new Rule("fs.state_dir", root, "the state folder", GROUP_OTHER));
        out.add(new Rule("fs.config", state.configFile(), "openclaw.json (holds the gateway token)", GROUP_OTHER));
        out.add(new Rule("fs.config", root.resolve("openclaw.json.last-good"), "openclaw.json.last-good (holds the token)",
                GROUP_OTHER));
        Path secrets = root.resolve("secrets");
        out.add(new Rule("fs.secrets", secrets, "the secrets folder", GROUP_OTHER));
        out.add(new Rule("fs.secrets", secrets.resolve("vault.json"), "the vault", GROUP_OTHER));
        out.add(new Rule("fs.vault_key", secrets.resolve("vault.key"), "the vault key", GROUP_OTHER));
        out.add(new Rule("fs.key_files", state.trust(), "the trust store folder", WRITE));
        out.add(new Rule("fs.key_files", state.trust().resolve("keys"), "the trusted keys folder", WRITE));
        if (Files.isDirectory(state.trust().resolve("keys"), LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(state.trust().resolve("keys"), "*.pem")) {
                for (Path p : ds) {
                    out.add(new Rule("fs.key_files", p, "trusted publisher key " + p.getFileName()
                            + " (whoever can write it decides which plugins load)", WRITE));
                }
            }
        }
        // Private keys an operator keeps in the state folder (publisher keys, device keys).
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(root, 3)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".key") && !p.equals(secrets.resolve("vault.key"))
                                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted()
                        .forEach(p -> out.add(new Rule("fs.key_files", p, "private key " + root.relativize(p), GROUP_OTHER)));
            }
        }
        return out;
    }
}

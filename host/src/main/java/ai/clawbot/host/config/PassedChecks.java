package ai.clawbot.host.config;

import ai.clawbot.signing.AtomicFiles;
import ai.clawbot.signing.CheckMemo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which inputs passed a pure, costly check under this very build (the config's and a skill manifest's JSON
 * Schema validation, a plugin signature's Ed25519 arithmetic, a plugin jar's structure checks), so a start whose
 * config and plugins have not changed does not check them again: compiling the schemas and running these checks
 * cold was about a fifth of the CPU of a warm start. Decisions that depend on anything but the bytes (is the key
 * trusted, revoked, rotated out; is the jar revoked; the minimum version) are never remembered. An entry is the
 * SHA-256 of the build's identity, the check's name and the exact input bytes, so any changed byte, another check or
 * another build misses and runs the check.
 * Only passes are kept, in {@code <folder>/cache/passed-checks} (owner-only, replaced atomically, the newest
 * {@value #KEEP}). Whoever can write that file can also write the config and the trust store it sits beside, so it
 * grants nothing new; an unreadable file is ignored. Thread-safe; one instance per file in a process.
 */
public final class PassedChecks implements CheckMemo {

    private static final System.Logger LOG = System.getLogger(PassedChecks.class.getName());
    static final int KEEP = 64;
    private static final int MAX_FILE_BYTES = 64 * 1024;
    private static final Map<Path, PassedChecks> OPEN = new ConcurrentHashMap<>();

    private final Path file;
    private final String build;
    private final LinkedHashSet<String> passed = new LinkedHashSet<>();

    private PassedChecks(Path file, String build) {
        this.file = file;
        this.build = build;
    }

    /** The record kept in the state folder {@code folder}; {@link CheckMemo#NONE} when this build has no identity. */
    public static CheckMemo in(Path folder) {
        String build = Build.ID;
        if (build == null) {
            return CheckMemo.NONE;
        }
        Path file = folder.toAbsolutePath().normalize().resolve("cache").resolve("passed-checks");
        return OPEN.computeIfAbsent(file, f -> {
            PassedChecks checks = new PassedChecks(f, build);
            checks.read();
            return checks;
        });
    }

    /** For a build whose identity is given (tests). */
    static PassedChecks in(Path folder, String build) {
        PassedChecks checks = new PassedChecks(folder.resolve("cache").resolve("passed-checks"), build);
        checks.read();
        return checks;
    }

    /** Whether {@code input} passed {@code check} before, under this build. */
    @Override
    public boolean passed(String check, byte[] input) {
        String key = digest(check, input);
        synchronized (passed) {
            return passed.contains(key);
        }
    }

    /** Remembers that {@code input} passed {@code check}; a failure to write only costs the next start the check. */
    @Override
    public void record(String check, byte[] input) {
        String key = digest(check, input);
        synchronized (passed) {
            if (!passed.add(key)) {
                return;
            }
            while (passed.size() > KEEP) {
                passed.remove(passed.iterator().next());
            }
            try {
                Files.createDirectories(file.getParent());
                AtomicFiles.replace(file, (String.join("\n", passed) + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not record a passed check in " + file + ": " + e.getMessage());
            }
        }
    }

    private void read() {
        try {
            byte[] bytes = AtomicFiles.readIfExists(file, MAX_FILE_BYTES);
            if (bytes != null) {
                new String(bytes, StandardCharsets.US_ASCII).lines().filter(l -> l.matches("[0-9a-f]{64}"))
                        .forEach(passed::add);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring " + file + ": " + e.getMessage());
        }
    }

    private String digest(String check, byte[] input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : List.of(build.getBytes(StandardCharsets.UTF_8), check.getBytes(StandardCharsets.UTF_8))) {
                sha.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(part);
            }
            sha.update(input);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This build's identity: the jar the host runs from (path, size, modification time: a rebuilt jar is another
     * build). Run from class folders (tests, an IDE), classes change between runs unseen, so the identity is this
     * process: what it records serves only itself.
     */
    private static final class Build {
        static final String ID = identify();

        private static String identify() {
            try {
                var source = PassedChecks.class.getProtectionDomain().getCodeSource();
                Path from = Path.of(source.getLocation().toURI());
                if (Files.isRegularFile(from)) {
                    return from + "|" + Files.size(from) + "|" + Files.getLastModifiedTime(from).toMillis();
                }
                ProcessHandle self = ProcessHandle.current();
                return from + "|process " + self.pid() + "|" + self.info().startInstant().map(Object::toString).orElse("");
            } catch (IOException | URISyntaxException | RuntimeException e) {
                return null; // nothing is remembered
            }
        }
    }
}

package ai.clawbot.host.skills;

import ai.clawbot.manifests.ManifestCheck;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.signing.JarInspector;
import ai.clawbot.signing.PluginSignature;
import ai.clawbot.signing.PluginVerifier;
import ai.clawbot.signing.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Decides whether a plugin file may be loaded. It reads the file's bytes once (bounded), verifies them
 * against the signature and the trust store, validates the skill manifest, and writes those same bytes
 * to a private staging folder. Only the staged copy is ever parsed by PF4J or mounted into a sandbox, so
 * a jar swapped in the plugins folder after verification changes nothing.
 */
final class PluginGate {

    private final PluginVerifier verifier;
    private final ManifestValidator validator;
    private final Path staging;

    PluginGate(PluginVerifier verifier, ManifestValidator validator, Path staging) throws IOException {
        this.verifier = verifier;
        this.validator = validator;
        this.staging = staging;
        Files.createDirectories(staging);
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));
    }

    Admission admit(Path jar) {
        String file = jar.getFileName().toString();
        try {
            byte[] bytes = readBounded(jar, JarInspector.MAX_JAR_BYTES);
            if (bytes == null) {
                return refused(file, "TOO_LARGE", "jar is over " + JarInspector.MAX_JAR_BYTES + " bytes");
            }
            Path sigFile = jar.resolveSibling(file + PluginSignature.SUFFIX);
            byte[] sig = null;
            if (Files.exists(sigFile)) {
                sig = readBounded(sigFile, PluginSignature.MAX_BYTES);
                if (sig == null) {
                    return refused(file, "MALFORMED_SIGNATURE", "signature file is over " + PluginSignature.MAX_BYTES + " bytes");
                }
            }
            Verification v = verifier.verify(bytes, sig);
            if (v instanceof Verification.Rejected r) {
                return refused(file, r.reason().name(), r.message());
            }
            Verification.Verified ok = (Verification.Verified) v;
            ManifestCheck check = validator.validate(ok.facts().manifestBytes());
            if (check instanceof ManifestCheck.Invalid invalid) {
                return refused(file, "INVALID_MANIFEST", invalid.describe());
            }
            SkillManifest manifest = ((ManifestCheck.Valid) check).manifest();
            if (!manifest.id().equals(ok.facts().pluginId()) || !manifest.version().equals(ok.facts().version())) {
                return refused(file, "DESCRIPTOR_MISMATCH", "skill manifest says " + manifest.id() + "@" + manifest.version()
                        + " but the plugin descriptor says " + ok.facts().pluginId() + "@" + ok.facts().version());
            }
            Path staged = stage(bytes, ok.facts().jarSha256());
            return new Admission.Admitted(new LoadedSkill(manifest, ok.signer().keyId(), ok.signer().name(), jar, staged,
                    ok.facts().jarSha256()));
        } catch (IOException e) {
            return refused(file, "UNREADABLE", e.getMessage());
        }
    }

    private Path stage(byte[] bytes, String sha256) throws IOException {
        Path target = staging.resolve(sha256 + ".jar");
        Path tmp = Files.createTempFile(staging, "stage", ".tmp");
        Files.write(tmp, bytes);
        // World-readable file in an owner-only folder: the sandbox user reads it through its bind mount.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static Admission refused(String file, String reason, String message) {
        return new Admission.Refused(new RefusedPlugin(file, reason, message));
    }

    /** The file's bytes, or {@code null} when it is longer than {@code max} (never reading more than that). */
    private static byte[] readBounded(Path file, long max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            return b.length > max ? null : b;
        }
    }
}

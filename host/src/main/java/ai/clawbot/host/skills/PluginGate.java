package ai.clawbot.host.skills;

import ai.clawbot.manifests.ManifestCheck;
import ai.clawbot.manifests.ManifestValidator;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.signing.CheckMemo;
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
 * Decides whether plugin bytes may be used: verified against the signature and the trust store
 * (revocations and minimum versions included), with a valid skill manifest that agrees with the plugin
 * descriptor. At load it reads a file's bytes once (bounded) and writes those same bytes to a private
 * staging folder: only the staged copy is ever parsed by PF4J or mounted into a sandbox, so a jar swapped
 * in the plugins folder after verification changes nothing.
 */
final class PluginGate {

    /** The name a valid skill manifest is remembered under ({@link CheckMemo}). */
    static final String MANIFEST_CHECK = "skill-manifest";

    private final PluginVerifier verifier;
    private final CheckMemo passed;
    private final Path staging;

    /**
     * @param passed the manifests that passed validation before, under this build: a byte-identical manifest is
     *               bound without validating it again (the signature and every trust rule are checked every time)
     */
    PluginGate(PluginVerifier verifier, CheckMemo passed, Path staging) throws IOException {
        this.verifier = verifier;
        this.passed = passed;
        this.staging = staging;
        Files.createDirectories(staging);
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));
    }

    /** The outcome of examining plugin bytes. */
    sealed interface Examined {
        record Good(PluginPreview preview) implements Examined {
        }

        record Bad(RefusedPlugin refused) implements Examined {
        }
    }

    /** Verifies bytes already read (bounded) from {@code source}; {@code signature} is null when there is none. */
    Examined examine(String source, byte[] jar, byte[] signature) throws IOException {
        if (jar == null) {
            return bad(source, "TOO_LARGE", "jar is over " + JarInspector.MAX_JAR_BYTES + " bytes");
        }
        Verification v = verifier.verify(jar, signature);
        if (v instanceof Verification.Rejected r) {
            return bad(source, r.reason().name(), r.message());
        }
        Verification.Verified ok = (Verification.Verified) v;
        ManifestCheck check = validated(ok.facts().manifestBytes());
        if (check instanceof ManifestCheck.Invalid invalid) {
            // An image family this host cannot build gets its own code: the message lists the known ones.
            boolean family = invalid.violations().stream().anyMatch(x -> x.path().equals(ManifestValidator.IMAGE_PATH));
            return bad(source, family ? "UNKNOWN_IMAGE_FAMILY" : "INVALID_MANIFEST", invalid.describe());
        }
        SkillManifest manifest = ((ManifestCheck.Valid) check).manifest();
        if (!manifest.id().equals(ok.facts().pluginId()) || !manifest.version().equals(ok.facts().version())) {
            return bad(source, "DESCRIPTOR_MISMATCH", "skill manifest says " + manifest.id() + "@" + manifest.version()
                    + " but the plugin descriptor says " + ok.facts().pluginId() + "@" + ok.facts().version());
        }
        return new Examined.Good(new PluginPreview(manifest, ok.signer().keyId(), ok.signer().name(),
                ok.facts().jarSha256(), jar, signature));
    }

    private ManifestCheck validated(byte[] manifest) throws IOException {
        if (passed.passed(MANIFEST_CHECK, manifest)) {
            return new ManifestCheck.Valid(ai.clawbot.plugin.manifest.ManifestReader.read(new java.io.ByteArrayInputStream(manifest)));
        }
        ManifestCheck check = ManifestValidator.create().validate(manifest);
        if (check instanceof ManifestCheck.Valid) {
            passed.record(MANIFEST_CHECK, manifest);
        }
        return check;
    }

    /** Reads, examines and stages a jar of the plugins folder. */
    Admission admit(Path jar) {
        String file = jar.getFileName().toString();
        try {
            Examined e = examine(file, readBounded(jar, JarInspector.MAX_JAR_BYTES), readSignature(jar));
            if (e instanceof Examined.Bad b) {
                return new Admission.Refused(b.refused());
            }
            PluginPreview p = ((Examined.Good) e).preview();
            Path staged = stage(p.jar(), p.jarSha256());
            return new Admission.Admitted(new LoadedSkill(p.manifest(), p.signerKeyId(), p.signerName(), jar, staged,
                    p.jarSha256()));
        } catch (SignatureTooLarge e) {
            return new Admission.Refused(new RefusedPlugin(file, "MALFORMED_SIGNATURE", e.getMessage()));
        } catch (IOException e) {
            return new Admission.Refused(new RefusedPlugin(file, "UNREADABLE", e.getMessage()));
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

    private static Examined bad(String source, String reason, String message) {
        return new Examined.Bad(new RefusedPlugin(source, reason, message));
    }

    /** A signature file over its size limit. */
    static final class SignatureTooLarge extends IOException {
        SignatureTooLarge() {
            super("signature file is over " + PluginSignature.MAX_BYTES + " bytes");
        }
    }

    /** The detached signature beside a jar, or {@code null} when there is none. */
    static byte[] readSignature(Path jar) throws IOException {
        Path sig = jar.resolveSibling(jar.getFileName() + PluginSignature.SUFFIX);
        if (!Files.exists(sig)) {
            return null;
        }
        byte[] b = readBounded(sig, PluginSignature.MAX_BYTES);
        if (b == null) {
            throw new SignatureTooLarge();
        }
        return b;
    }

    /** The file's bytes, or {@code null} when it is longer than {@code max} (never reading more than that). */
    static byte[] readBounded(Path file, long max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readBounded(in, max);
        }
    }

    static byte[] readBounded(InputStream in, long max) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return b.length > max ? null : b;
    }
}

package ai.clawbot.host.skills;

import ai.clawbot.plugin.manifest.SkillManifest;
import java.nio.file.Path;

/**
 * A plugin that passed verification and manifest validation.
 *
 * @param manifest     the validated skill manifest, read from the verified bytes (in a configured catalog, with the
 *                     operator's granted endpoints added to its network allowlist: see {@link #configured})
 * @param signerKeyId  the trusted key that signed it
 * @param signerName   the name that key was trusted under
 * @param source       the jar as installed in the plugins folder
 * @param verifiedJar  the private copy of the verified bytes: what PF4J loads and what sandboxes mount
 * @param jarSha256    hash of those bytes
 * @param config       the operator's settings and grants for it ({@link SkillConfig#NONE} before configuration)
 */
public record LoadedSkill(SkillManifest manifest, String signerKeyId, String signerName, Path source,
                          Path verifiedJar, String jarSha256, SkillConfig config) {

    public LoadedSkill {
        config = config == null ? SkillConfig.NONE : config;
    }

    public LoadedSkill(SkillManifest manifest, String signerKeyId, String signerName, Path source, Path verifiedJar,
                       String jarSha256) {
        this(manifest, signerKeyId, signerName, source, verifiedJar, jarSha256, SkillConfig.NONE);
    }

    public String id() {
        return manifest.id();
    }

    /** The same skill with another manifest (policy narrowing), keeping its configuration. */
    public LoadedSkill withManifest(SkillManifest m) {
        return new LoadedSkill(m, signerKeyId, signerName, source, verifiedJar, jarSha256, config);
    }

    /**
     * The skill as configured: the granted endpoints join the manifest's allowlist (as {@code host:port}, or
     * {@code *:port} for any public host), so that policy narrows them like any other host and the warm-pool key
     * changes with them.
     */
    public LoadedSkill configured(SkillConfig c) {
        return new LoadedSkill(c.applyTo(manifest), signerKeyId, signerName, source, verifiedJar, jarSha256, c);
    }
}

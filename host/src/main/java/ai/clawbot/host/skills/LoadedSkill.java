package ai.clawbot.host.skills;

import ai.clawbot.plugin.manifest.SkillManifest;
import java.nio.file.Path;

/**
 * A plugin that passed verification and manifest validation.
 *
 * @param manifest     the validated skill manifest, read from the verified bytes
 * @param signerKeyId  the trusted key that signed it
 * @param signerName   the name that key was trusted under
 * @param source       the jar as installed in the plugins folder
 * @param verifiedJar  the private copy of the verified bytes: what PF4J loads and what sandboxes mount
 * @param jarSha256    hash of those bytes
 */
public record LoadedSkill(SkillManifest manifest, String signerKeyId, String signerName, Path source,
                          Path verifiedJar, String jarSha256) {

    public String id() {
        return manifest.id();
    }
}

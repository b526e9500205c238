package ai.clawbot.host.sandbox;

import ai.clawbot.manifests.ImageFamilies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An image family's recipe as shipped in the host jar ({@code sandbox/images}: {@code rootfs.sh} and
 * {@code recipes/FAMILY.recipe}), and the tag its image gets: {@code clawbot/FAMILY:HASH}, HASH being the
 * first 16 hex digits of sha256(rootfs.sh + recipe) — the same hash {@code build-images.sh} computes.
 *
 * @param family the family name, e.g. {@code skill-node}
 * @param hash   16 hex digits of the recipe's content hash
 */
public record ImageRecipe(String family, String hash) {

    static final String RESOURCES = "/sandbox-images/";
    static final String SCRIPT = "build-images.sh";
    static final String ROOTFS = "rootfs.sh";

    /** The recipe of a known family (an alias such as {@code clawbot/skill-jre:17} is resolved first). */
    public static ImageRecipe of(String image) {
        String family = ImageFamilies.familyOf(image).orElseThrow(() -> new IllegalArgumentException(ImageFamilies.unknown(image)));
        return new ImageRecipe(family, hash(resource(ROOTFS), resource(recipePath(family))));
    }

    /** The local tag of this recipe's image. */
    public String tag() {
        return "clawbot/" + family + ":" + hash;
    }

    /** The image repository every build of this family is tagged in (older hashes are stale). */
    public String repository() {
        return "clawbot/" + family;
    }

    static String recipePath(String family) {
        return "recipes/" + family + ".recipe";
    }

    static String hash(byte[] rootfs, byte[] recipe) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(rootfs);
            sha.update(recipe);
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = ImageRecipe.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the host jar lacks " + RESOURCES + name + " (a broken build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the build script, rootfs.sh and every family's recipe into {@code dir}; returns the script. */
    public static Path extractBuilder(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("recipes"));
        Files.write(dir.resolve(SCRIPT), resource(SCRIPT));
        Files.write(dir.resolve(ROOTFS), resource(ROOTFS));
        for (String family : ImageFamilies.KNOWN) {
            Files.write(dir.resolve(recipePath(family)), resource(recipePath(family)));
        }
        return dir.resolve(SCRIPT);
    }
}

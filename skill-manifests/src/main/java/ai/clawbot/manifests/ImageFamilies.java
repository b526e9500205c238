package ai.clawbot.manifests;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox image families a manifest's {@code sandbox.image} may name. Each is built locally from a
 * recipe of Debian packages ({@code sandbox/images/recipes/FAMILY.recipe}, {@code claw sandbox build});
 * the manifest schema's enum lists the same names (a test keeps the three in step).
 */
public final class ImageFamilies {

    /** The families, in the order they are listed to a user. */
    public static final List<String> KNOWN = List.of("skill-jre", "skill-node", "skill-stt");

    /** Names accepted for compatibility: the image every manifest named before there were families. */
    public static final Map<String, String> ALIASES = Map.of("clawbot/skill-jre:17", "skill-jre");

    private ImageFamilies() {
    }

    /** The family a manifest's {@code sandbox.image} names, if it names a known one (or an alias of one). */
    public static Optional<String> familyOf(String image) {
        if (image == null) {
            return Optional.empty();
        }
        if (KNOWN.contains(image)) {
            return Optional.of(image);
        }
        return Optional.ofNullable(ALIASES.get(image));
    }

    /** Why {@code image} is refused, with the list of known families. */
    public static String unknown(String image) {
        return "unknown image family '" + image + "' (known families: " + String.join(", ", KNOWN)
                + "; the legacy name clawbot/skill-jre:17 means skill-jre)";
    }
}

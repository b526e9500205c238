package ai.clawbot.host.scaffold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** The manifest schema's {@code id} pattern, read from the schema itself so the scaffold cannot drift from it. */
final class ManifestIdPattern {

    static final String SCHEMA = "/ai/clawbot/manifests/skill-manifest.schema.json";

    private static volatile Pattern pattern;

    private ManifestIdPattern() {
    }

    static Pattern get() {
        Pattern p = pattern;
        if (p == null) {
            try (InputStream in = ManifestIdPattern.class.getResourceAsStream(SCHEMA)) {
                if (in == null) {
                    throw new IllegalStateException(SCHEMA + " is not on the class path");
                }
                JsonNode id = new ObjectMapper().readTree(in).at("/properties/id/pattern");
                if (!id.isTextual()) {
                    throw new IllegalStateException(SCHEMA + " has no /properties/id/pattern");
                }
                p = Pattern.compile(id.asText());
                pattern = p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }
}

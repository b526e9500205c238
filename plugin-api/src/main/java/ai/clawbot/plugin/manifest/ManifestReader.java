package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads manifest YAML into a tree or a {@link SkillManifest}. It does not validate: the host validates
 * the tree against the manifest JSON Schema first ({@code skill-manifests}), then binds it.
 */
public final class ManifestReader {

    // Duplicate keys are refused: a reviewer must never read one value while another one binds.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);

    private ManifestReader() {
    }

    public static JsonNode readTree(InputStream yaml) throws IOException {
        JsonNode node = YAML.readTree(yaml);
        if (node == null || node.isMissingNode()) {
            throw new IOException("manifest is empty");
        }
        return node;
    }

    public static SkillManifest bind(JsonNode tree) throws IOException {
        return ManifestBinder.bind(tree);
    }

    public static SkillManifest read(InputStream yaml) throws IOException {
        return bind(readTree(yaml));
    }
}

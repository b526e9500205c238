package ai.clawbot.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/plugin-sdk.md's manifest reference cannot drift from the schema: the table between its markers must be
 * exactly what {@link ManifestReference} computes from the schema read now, so a field added to (or removed
 * from) the schema fails here naming it. To rewrite the section from the schema:
 * {@code ./mvnw -o -pl skill-manifests test -Dtest=ManifestReferenceDocTest -Dclaw.docs.write=true}.
 */
class ManifestReferenceDocTest {

    static final Path DOC = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/plugin-sdk.md");
    static final String BEGIN = "<!-- BEGIN manifest-reference: generated from skill-manifest.schema.json, checked by ManifestReferenceDocTest -->\n";
    static final String END = "<!-- END manifest-reference -->";
    private static final Pattern ROW_PATH = Pattern.compile("(?m)^\\| `([^`]+)` \\|");

    @Test
    void everySchemaFieldHasADescription() throws Exception {
        List<String> missing = ManifestReference.load().rows().stream().filter(r -> r.description() == null)
                .map(ManifestReference.Row::path).toList();
        assertThat(missing).as("schema properties without a \"description\" (add one in skill-manifest.schema.json)").isEmpty();
    }

    @Test
    void theDocsReferenceTableIsTheSchemasEveryFieldAndNoOther() throws Exception {
        ManifestReference ref = ManifestReference.load();
        String expected = ref.table();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int b = doc.indexOf(BEGIN);
        int e = doc.indexOf(END);
        assertThat(b).as(DOC + " has the marker " + BEGIN.strip()).isNotNegative();
        assertThat(e).as(DOC + " has the marker " + END).isGreaterThan(b);
        String actual = doc.substring(b + BEGIN.length(), e);
        if (Boolean.getBoolean("claw.docs.write")) {
            Files.writeString(DOC, doc.substring(0, b + BEGIN.length()) + expected + doc.substring(e), StandardCharsets.UTF_8);
            actual = expected;
        }

        Set<String> schemaPaths = ref.rows().stream().map(ManifestReference.Row::path)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> docPaths = new LinkedHashSet<>();
        Matcher m = ROW_PATH.matcher(actual);
        while (m.find()) {
            docPaths.add(m.group(1));
        }
        Set<String> undocumented = new LinkedHashSet<>(schemaPaths);
        undocumented.removeAll(docPaths);
        Set<String> unknown = new LinkedHashSet<>(docPaths);
        unknown.removeAll(schemaPaths);
        assertThat(undocumented).as("schema fields missing from " + DOC).isEmpty();
        assertThat(unknown).as("fields in " + DOC + " that the schema lacks").isEmpty();
        assertThat(actual).as("the reference table differs from the schema's types/descriptions; rerun with "
                + "-Dclaw.docs.write=true to rewrite it").isEqualTo(expected);
    }
}

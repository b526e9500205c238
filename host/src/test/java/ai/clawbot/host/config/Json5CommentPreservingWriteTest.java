package ai.clawbot.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write to a JSON5 {@code openclaw.json} is made as text edits: on OpenClaw's own doc examples (vendored under
 * {@code src/test/resources/openclaw-docs}), every comment and untouched line survives byte for byte, the file
 * re-parses to the intended tree, and secrets stay redacted. Plain JSON files are written as before.
 */
class Json5CommentPreservingWriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Function<String, String> ENV = Map.of("MINIMAX_API_KEY", "mm-key-1")::get;
    /** The reference example's gateway token is too short for this gateway; every patch of it also sets this one. */
    private static final String TOKEN = "a-longer-gateway-token-1";

    @TempDir
    Path dir;
    Path file;

    @Test
    void patchingNestedValuesInTheFullReferenceExampleChangesOnlyThoseValues() throws Exception {
        String original = example("configuration-examples-2");
        ConfigStore store = ConfigStore.open(file, ENV);

        store.patch(hash(), JSON.readTree("{\"gateway\": {\"port\": 18800, \"auth\": {\"token\": \"" + TOKEN + "\"}},"
                + " \"session\": {\"reset\": {\"atHour\": 5}},"
                // What config.get showed, sent back: the stored secret is kept and its line untouched.
                + " \"models\": {\"providers\": {\"custom-proxy\": {\"apiKey\": \"" + ConfigStore.REDACTED + "\"}}}}"));

        String expected = swap(swap(swap(original,
                "    port: 18789,\n", "    port: 18800,\n"),
                "      token: \"gateway-token\",\n", "      token: \"" + TOKEN + "\",\n"),
                "      atHour: 4,\n", "      atHour: 5,\n");
        assertThat(Files.readString(file)).isEqualTo(expected);
        assertThat(dir.resolve(file.getFileName() + ".bak")).doesNotExist();

        store.load();
        ObjectNode shown = store.redacted();
        assertThat(shown.at("/gateway/auth/token").asText()).isEqualTo(ConfigStore.REDACTED);
        assertThat(shown.at("/models/providers/custom-proxy/apiKey").asText()).isEqualTo(ConfigStore.REDACTED);
        assertThat(shown.at("/gateway/port").asInt()).isEqualTo(18800);
        assertThat(store.current().config().at("/gateway/auth/token").asText()).isEqualTo(TOKEN);
    }

    @Test
    void addingKeysPutsThemAfterTheLastSiblingWithItsIndentationAndStyle() throws Exception {
        String original = example("configuration-examples-2");
        ConfigStore store = ConfigStore.open(file, ENV);

        store.patch(hash(), JSON.readTree("{\"gateway\": {\"auth\": {\"token\": \"" + TOKEN + "\", \"rateLimit\": {\"maxAttempts\": 5}}},"
                + " \"agents\": {\"entries\": {\"quick\": {\"model\": {\"primary\": \"openai/gpt-5.4\"}}}},"
                + " \"tools\": {\"media\": {\"video\": {\"maxBytes\": 1024}}}}"));

        String expected = swap(swap(swap(original,
                "      token: \"gateway-token\",\n      allowTailscale: true,\n",
                "      token: \"" + TOKEN + "\",\n      allowTailscale: true,\n      rateLimit: {\n        \"maxAttempts\": 5\n      },\n"),
                "        thinkingDefault: \"off\",\n      },\n",
                "        thinkingDefault: \"off\",\n        model: {\n          \"primary\": \"openai/gpt-5.4\"\n        },\n      },\n"),
                "video: { enabled: true, maxBytes: 52428800 },", "video: { enabled: true, maxBytes: 1024 },");
        assertThat(Files.readString(file)).isEqualTo(expected);
        assertThat(ConfigJson.parse(file, Files.readAllBytes(file)).at("/gateway/auth/rateLimit/maxAttempts").asInt()).isEqualTo(5);
    }

    @Test
    void removingKeysTakesTheirCommaTheirTrailingCommentAndTheCommentLinesAboveThem() throws Exception {
        String original = example("configuration-examples-2");
        ConfigStore store = ConfigStore.open(file, ENV);

        store.patch(hash(), JSON.readTree("{\"gateway\": {\"auth\": {\"token\": \"" + TOKEN + "\"}},"
                + " \"cron\": null, \"session\": {\"dmScope\": null}, \"tools\": {\"media\": {\"audio\": null}}}"));

        String expected = swap(swap(swap(swap(original,
                "      token: \"gateway-token\",\n", "      token: \"" + TOKEN + "\",\n"),
                "  // Cron jobs\n  cron: {\n    enabled: true,\n    sessionRetention: \"24h\",\n  },\n\n", ""),
                "    dmScope: \"per-channel-peer\", // recommended for multi-user inboxes\n", ""),
                "      audio: { enabled: true, maxBytes: 20971520, timeoutSeconds: 120 },\n", "");
        assertThat(Files.readString(file)).isEqualTo(expected);
        JsonNode reread = ConfigJson.parse(file, Files.readAllBytes(file));
        assertThat(reread.has("cron")).isFalse();
        assertThat(reread.at("/session").has("dmScope")).isFalse();
    }

    @Test
    void changingArraysEditsItemsInPlaceAppendsOrReplacesTheArray() throws Exception {
        String original = example("configuration-examples-2");
        ConfigStore store = ConfigStore.open(file, ENV);

        store.patch(hash(), JSON.readTree("{\"gateway\": {\"auth\": {\"token\": \"" + TOKEN + "\"}},"
                + " \"agents\": {\"defaults\": {\"model\": {\"fallbacks\": [\"openai/gpt-5.4\"]},"
                + "   \"skills\": [\"github\", \"weather\", \"obsidian\"]}},"
                + " \"tools\": {\"deny\": [\"browser\", \"nodes\"]},"
                + " \"session\": {\"resetTriggers\": [\"/new\", \"/reset\", \"/clear\"]}}"));

        String expected = swap(swap(swap(swap(swap(original,
                "      token: \"gateway-token\",\n", "      token: \"" + TOKEN + "\",\n"),
                "fallbacks: [\"anthropic/claude-opus-4-6\", \"openai/gpt-5.4\"],", "fallbacks: [\n          \"openai/gpt-5.4\"\n        ],"),
                "skills: [\"github\", \"weather\"], // inherited", "skills: [\"github\", \"weather\", \"obsidian\"], // inherited"),
                "deny: [\"browser\", \"canvas\"],", "deny: [\"browser\", \"nodes\"],"),
                "resetTriggers: [\"/new\", \"/reset\"],", "resetTriggers: [\"/new\", \"/reset\", \"/clear\"],");
        assertThat(Files.readString(file)).isEqualTo(expected);
    }

    /** Every doc example this gateway loads takes a patch (a nested change and an added section) without losing a line. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"configuration-0", "configuration-examples-0", "configuration-examples-1", "configuration-examples-3",
            "configuration-examples-4", "configuration-examples-5", "configuration-examples-6", "configuration-examples-7",
            "configuration-examples-8", "configuration-examples-9", "local-models-2", "local-models-3", "local-models-5",
            "local-models-6"})
    void everyLoadableDocExampleKeepsEveryOriginalLineInOrder(String example) throws Exception {
        String original = example(example);
        ConfigStore store = ConfigStore.open(file, ENV);
        ObjectNode before = ConfigJson.parse(file, original.getBytes(StandardCharsets.UTF_8));
        JsonNode patch = JSON.readTree("{\"gateway\": {\"port\": 18801}, \"logging\": {\"level\": \"debug\"}}");

        store.patch(store.load().hash(), patch);

        String written = Files.readString(file);
        assertThat(ConfigJson.parse(file, written.getBytes(StandardCharsets.UTF_8))).isEqualTo(MergePatch.apply(before, patch));
        List<String> removed = missingLines(original, written);
        assertThat(removed).as("lines of the original that are not in the written file, in order").isEmpty();
        assertThat(written.lines().filter(l -> l.contains("//")).toList())
                .containsExactlyElementsOf(original.lines().filter(l -> l.contains("//")).toList());
        assertThat(dir.resolve(file.getFileName() + ".bak")).doesNotExist();
    }

    @Test
    void inlineObjectsTrailingCommasAndCrLfAreEditedInTheirOwnStyle() {
        String src = "// c\r\n{\r\n  a: { x: 1 }, // keep\r\n  'b': [1, 2,],\r\n  c: 3\r\n}\r\n";
        ObjectNode before = object(src);
        ObjectNode after = before.deepCopy();
        ((ObjectNode) after.get("a")).put("y", 2);
        after.withArray("b").add(3);
        after.put("d-e", "new");

        String edited = edited(src, before, after);

        assertThat(edited).isEqualTo("// c\r\n{\r\n  a: { x: 1, y: 2 }, // keep\r\n  'b': [1, 2, 3,],\r\n  c: 3,\r\n  \"d-e\": \"new\"\r\n}\r\n");
    }

    @Test
    void aChangeThatCannotBePlacedFallsBackToThePlainRewriteAndKeepsTheOriginalAsBak() throws Exception {
        Files.writeString(file = dir.resolve("openclaw.json"), "// mine\n{ gateway: { port: 18789 } }\n");
        String original = Files.readString(file);
        ConfigStore store = ConfigStore.open(file, ENV);

        store.replace(store.load().hash(), (ObjectNode) JSON.readTree("{\"logging\": {\"level\": \"info\"}}"));

        assertThat(Files.readString(file)).isEqualTo("{\n  \"logging\": {\n    \"level\": \"info\"\n  }\n}\n");
        assertThat(Files.readString(dir.resolve("openclaw.json.bak"))).isEqualTo(original);
    }

    @Test
    void aPlainJsonFileIsWrittenAsBeforeWithoutABak() throws Exception {
        Files.writeString(file = dir.resolve("openclaw.json"), "{\"gateway\":    {\"port\": 18789},\n\"logging\": {\"level\": \"info\"}}");
        ConfigStore store = ConfigStore.open(file, ENV);

        store.patch(store.load().hash(), JSON.readTree("{\"gateway\": {\"port\": 18790}}"));

        assertThat(Files.readString(file))
                .isEqualTo("{\n  \"gateway\": {\n    \"port\": 18790\n  },\n  \"logging\": {\n    \"level\": \"info\"\n  }\n}\n");
        assertThat(dir.resolve("openclaw.json.bak")).doesNotExist();
    }

    @Test
    void anEditWhoseResultDoesNotParseToTheIntendedTreeIsReportedNotReturned() {
        // The text and the tree it is said to hold disagree (b is not in the text), so no edit is made for b:
        // the re-parse of the edited text is what catches it.
        String src = "// c\n{ a: 1 }\n";
        ObjectNode before = object("{a: 1, b: 2}");
        ObjectNode after = object("{a: 1, b: 3}");

        assertThat(Json5Editor.edit(src.getBytes(StandardCharsets.UTF_8), before, after))
                .isInstanceOfSatisfying(Json5Editor.Result.NotLocated.class,
                        n -> assertThat(n.why()).contains("does not parse to the intended config"));
    }

    private String example(String name) throws Exception {
        file = dir.resolve(name + ".json");
        try (var in = Json5CommentPreservingWriteTest.class.getResourceAsStream("/openclaw-docs/" + name + ".json5")) {
            Files.write(file, in.readAllBytes());
        }
        return Files.readString(file);
    }

    /** The hash of the file on disk: the reference example cannot be loaded before its token is fixed. */
    private String hash() throws Exception {
        return ConfigJson.sha256(Files.readAllBytes(file));
    }

    private static String swap(String text, String from, String to) {
        assertThat(text.indexOf(from)).as("'%s' occurs once", from).isNotNegative().isEqualTo(text.lastIndexOf(from));
        return text.replace(from, to);
    }

    /** Lines of {@code original} that do not appear, in order, among the lines of {@code written}. */
    private static List<String> missingLines(String original, String written) {
        List<String> missing = new ArrayList<>();
        List<String> out = written.lines().toList();
        int j = 0;
        for (String line : original.lines().toList()) {
            int k = j;
            while (k < out.size() && !out.get(k).equals(line)) {
                k++;
            }
            if (k == out.size()) {
                missing.add(line);
            } else {
                j = k + 1;
            }
        }
        return missing;
    }

    private static ObjectNode object(String json5) {
        try {
            return ConfigJson.parse(Path.of("test.json"), json5.getBytes(StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static String edited(String src, ObjectNode before, ObjectNode after) {
        Json5Editor.Result r = Json5Editor.edit(src.getBytes(StandardCharsets.UTF_8), before, after);
        assertThat(r).isInstanceOf(Json5Editor.Result.Edited.class);
        return new String(((Json5Editor.Result.Edited) r).bytes(), StandardCharsets.UTF_8);
    }
}

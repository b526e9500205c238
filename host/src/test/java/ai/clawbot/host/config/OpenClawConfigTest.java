package ai.clawbot.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * OpenClaw's own {@code openclaw.json} examples (vendored from its 2026.9.6 docs under
 * {@code src/test/resources/openclaw-docs}, MIT) load here as OpenClaw reads them: JSON5, OpenClaw's api names,
 * {@code agents.entries}, and one warning per key this gateway does not serve. What cannot work is refused at load
 * with its JSON path, and a write keeps what the gateway ignores.
 */
class OpenClawConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Function<String, String> ENV = Map.of("MINIMAX_API_KEY", "mm-key-1")::get;

    @TempDir
    Path dir;

    static List<Arguments> docs() {
        return List.of(
                Arguments.of("configuration-0", List.of("$.channels", "$.agents.defaults.workspace")),
                Arguments.of("configuration-examples-0", List.of("$.channels", "$.agents.defaults.workspace")),
                Arguments.of("configuration-examples-1", List.of("$.channels", "$.messages", "$.agents.defaults.workspace",
                        "$.agents.list[0].identity")),
                Arguments.of("configuration-examples-3", List.of("$.skills")),
                Arguments.of("configuration-examples-4", List.of("$.agents.defaults.workspace")),
                Arguments.of("configuration-examples-5", List.of("$.channels", "$.agents.defaults.workspace")),
                Arguments.of("configuration-examples-6", List.of("$.gateway.nodes")),
                Arguments.of("configuration-examples-7", List.of("$.channels")),
                Arguments.of("configuration-examples-8", List.of("$.auth", "$.agents.defaults.workspace")),
                Arguments.of("configuration-examples-9", List.of("$.channels", "$.agents.defaults.workspace",
                        "$.agents.defaults.elevatedDefault", "$.agents.list[0].identity")),
                Arguments.of("local-models-2", List.of("$.models.mode", "$.models.providers.local.timeoutSeconds")),
                Arguments.of("local-models-3", List.of("$.agents.defaults.models")),
                Arguments.of("local-models-5", List.of("$.agents.defaults.experimental")),
                Arguments.of("local-models-6", List.of("$.agents.list[0].experimental")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("docs")
    void openClawsDocExamplesLoadWithOneWarningPerUnsupportedKey(String example, List<String> warned) throws Exception {
        ConfigStore store = storeFor(example);
        store.load();
        assertThat(store.warnings()).extracting(ConfigProblem::path).containsExactlyInAnyOrderElementsOf(warned);
        assertThat(store.warnings()).allSatisfy(w -> assertThat(w.message()).contains("ignored (kept in the file)"));
    }

    @Test
    void theFullReferenceExampleIsRefusedOnlyForItsWeakTokenAfterIgnoringOpenClawOnlySections() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> storeFor("configuration-examples-2").inspectDialect());
        // Its gateway.auth.token is 13 characters; this gateway wants 16 or more. ${GEMINI_API_KEY} is under the
        // ignored memory section, so it does not have to be set.
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("$.gateway.auth.token");
    }

    @Test
    void openAiResponsesIsALoadTimeErrorWithItsPath() throws Exception {
        for (String example : List.of("configuration-examples-10", "local-models-0", "local-models-1", "local-models-4")) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> storeFor(example).load());
            assertThat(e).as(example).isNotNull();
            assertThat(e.problems()).as(example).singleElement().satisfies(p -> {
                assertThat(p.path()).matches("\\$\\.models\\.providers\\.(lmstudio|local)\\.api");
                assertThat(p.message()).contains("no adapter serves api 'openai-responses'");
            });
        }
    }

    @Test
    void providerApiNamesAreMappedAndModelObjectsKept() throws Exception {
        ConfigStore store = storeFor("local-models-2");
        JsonNode config = store.load().config();
        JsonNode local = config.at("/models/providers/local");
        assertThat(local.path("api").asText()).isEqualTo("openai-compatible");
        assertThat(local.has("timeoutSeconds")).isFalse();
        assertThat(local.at("/models/0/contextWindow").asInt()).isEqualTo(120000);
        assertThat(local.at("/models/0/maxTokens").asInt()).isEqualTo(8192);
        assertThat(config.at("/agents/defaults/model/primary").asText()).isEqualTo("local/my-local-model");

        JsonNode minimax = storeFor("configuration-examples-8").load().config().at("/models/providers/minimax");
        assertThat(minimax.path("api").asText()).isEqualTo("anthropic");
        assertThat(minimax.path("apiKey").asText()).as("${MINIMAX_API_KEY}").isEqualTo("mm-key-1");
    }

    @Test
    void ollamaIsServedThroughItsOpenAiCompatibleEndpoint() throws Exception {
        JsonNode p = load("{models: {providers: {ollama: {api: 'ollama', baseUrl: 'http://127.0.0.1:11434', models: ['llama3']}}}}")
                .at("/models/providers/ollama");
        assertThat(p.path("api").asText()).isEqualTo("openai-compatible");
        assertThat(p.path("baseUrl").asText()).isEqualTo("http://127.0.0.1:11434/v1");
    }

    @Test
    void json5SyntaxIsRead() throws Exception {
        JsonNode c = load("""
                // a comment
                {
                  /* block */ gateway: { port: +18790, bind: 'loopback', },
                  agents: { list: [ { id: "main", name: 'It\\'s me', default: true, }, ], },
                }
                """);
        assertThat(c.at("/gateway/port").asInt()).isEqualTo(18790);
        assertThat(c.at("/agents/list/0/name").asText()).isEqualTo("It's me");
    }

    @Test
    void aMissingEnvironmentVariableIsALoadErrorAtItsPath() throws Exception {
        Path file = dir.resolve("openclaw.json");
        Files.writeString(file, "{models: {providers: {x: {baseUrl: 'http://h/v1', apiKey: '${NOPE_KEY}'}}}}");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigStore.open(file, ENV).load());
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("$.models.providers.x.apiKey");
            assertThat(p.message()).isEqualTo("environment variable NOPE_KEY is not set");
        });
        Files.writeString(file, "{models: {providers: {x: {baseUrl: 'http://h/v1', apiKey: '$${LITERAL}',"
                + " models: [{id: 'm'}]}, y: {baseUrl: 'http://h/v1', apiKey: {source: 'env', provider: 'default', id: 'MINIMAX_API_KEY'}}}}}");
        JsonNode c = ConfigStore.open(file, ENV).load().config();
        assertThat(c.at("/models/providers/x/apiKey").asText()).isEqualTo("${LITERAL}");
        assertThat(c.at("/models/providers/y/apiKey").asText()).isEqualTo("mm-key-1");
    }

    @Test
    void anUnknownKeyNeitherOpenClawNorWeKnowIsStillAnError() throws Exception {
        Path file = dir.resolve("openclaw.json");
        Files.writeString(file, "{gateway: {prot: 1}, chanels: {}}");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigStore.open(file, ENV).load());
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("$.gateway.prot", "$.chanels");
    }

    @Test
    void aPatchKeepsUnsupportedKeysEnvReferencesAndComments() throws Exception {
        Path file = dir.resolve("openclaw.json");
        String original = """
                // my OpenClaw config
                {
                  channels: { whatsapp: { allowFrom: ["+15555550123"] } }, // not served here
                  models: { providers: { m: { api: "anthropic-messages", baseUrl: "https://api.minimax.io/anthropic",
                                              apiKey: "${MINIMAX_API_KEY}", models: ["MiniMax-M2.7"] } } },
                }
                """;
        Files.writeString(file, original);
        ConfigStore store = ConfigStore.open(file, ENV);
        String hash = store.load().hash();
        assertThat(store.redacted().at("/models/providers/m/apiKey").asText()).isEqualTo(ConfigStore.REDACTED);

        Snapshot after = store.patch(hash, JSON.readTree("{\"gateway\": {\"port\": 18800}}"));

        JsonNode written = ConfigJson.parse(file, Files.readAllBytes(file));
        assertThat(written.at("/channels/whatsapp/allowFrom/0").asText()).isEqualTo("+15555550123");
        assertThat(written.at("/models/providers/m/apiKey").asText()).isEqualTo("${MINIMAX_API_KEY}");
        assertThat(written.at("/models/providers/m/api").asText()).as("the file keeps OpenClaw's name").isEqualTo("anthropic-messages");
        assertThat(written.at("/gateway/port").asInt()).isEqualTo(18800);
        assertThat(Files.readString(file)).as("edited in place: comments and layout kept")
                .isEqualTo(original.replace("\n}\n", "\n  gateway: {\n    \"port\": 18800\n  },\n}\n"));
        assertThat(dir.resolve("openclaw.json.bak")).doesNotExist();
        assertThat(after.config().has("channels")).as("the running config").isFalse();
        assertThat(after.config().at("/models/providers/m/apiKey").asText()).isEqualTo("mm-key-1");
        assertThat(store.warnings()).extracting(ConfigProblem::path).containsExactly("$.channels");
    }

    @Test
    void aPatchThatIntroducesAnUnservedApiIsRefusedAndTheFileIsUnchanged() throws Exception {
        Path file = dir.resolve("openclaw.json");
        Files.writeString(file, "{}");
        ConfigStore store = ConfigStore.open(file, ENV);
        String hash = store.load().hash();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> store.patch(hash,
                JSON.readTree("{\"models\": {\"providers\": {\"p\": {\"api\": \"bedrock-converse-stream\", \"baseUrl\": \"http://h\"}}}}")));
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("$.models.providers.p.api");
        assertThat(Files.readString(file)).isEqualTo("{}");
    }

    private ConfigStore storeFor(String example) throws Exception {
        Path file = dir.resolve(example + ".json");
        try (var in = OpenClawConfigTest.class.getResourceAsStream("/openclaw-docs/" + example + ".json5")) {
            Files.write(file, in.readAllBytes());
        }
        return ConfigStore.open(file, ENV);
    }

    private JsonNode load(String text) throws Exception {
        Path file = dir.resolve("openclaw.json");
        Files.writeString(file, text);
        return ConfigStore.open(file, ENV).load().config();
    }
}

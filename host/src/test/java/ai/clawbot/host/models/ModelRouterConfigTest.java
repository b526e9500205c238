package ai.clawbot.host.models;

import static ai.clawbot.testkit.model.LocalModelServer.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.testkit.model.LocalModelServer;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Config reading, candidate order and the provider extension point; no network. */
class ModelRouterConfigTest {

    private static final String CONFIG = """
            {"providers": {
               "openai": {"apiKey": "sk-1234", "models": ["gpt-4o", {"id": "gpt-4o-mini"}]},
               "anthropic": {"apiKey": "sk-ant-1", "models": ["claude-sonnet"]},
               "ollama": {"api": "openai-compatible", "baseUrl": "http://127.0.0.1:11434/v1",
                          "models": ["llama3.1:8b", "meta-llama/llama-3"]}},
             "routing": {"planner": "anthropic/claude-sonnet", "fast": "openai/gpt-4o-mini"},
             "fallbacks": ["openai/gpt-4o", "ollama/llama3.1:8b"]}
            """;

    private static ModelRouter router(String json) throws Exception {
        return ModelRouter.builder().config(JSON.readTree(json)).build();
    }

    private static List<String> names(List<ModelRef> refs) {
        return refs.stream().map(ModelRef::toString).toList();
    }

    @Test
    void candidatesFollowAgentThenRoleThenPlannerThenFallbacksWithoutDuplicates() throws Exception {
        ModelRouter router = router(CONFIG);

        assertThat(names(router.candidates(null, List.of(), ModelRole.FAST)))
                .containsExactly("openai/gpt-4o-mini", "openai/gpt-4o", "ollama/llama3.1:8b");
        assertThat(names(router.candidates(null, List.of(), ModelRole.CODER))).as("no coder route: planner")
                .containsExactly("anthropic/claude-sonnet", "openai/gpt-4o", "ollama/llama3.1:8b");
        assertThat(names(router.candidates("ollama/llama3.1:8b", List.of("anthropic/claude-sonnet", "gpt-4o"),
                ModelRole.FAST)))
                .containsExactly("ollama/llama3.1:8b", "anthropic/claude-sonnet", "openai/gpt-4o");
        assertThat(names(router.candidates("meta-llama/llama-3", null, null))).as("slash inside a model id")
                .startsWith("ollama/meta-llama/llama-3");
    }

    @Test
    void withoutRoutingTheFirstProvidersFirstModelIsTheDefault() throws Exception {
        ModelRouter router = router("""
                {"providers": {"empty": {"api": "openai-compatible", "baseUrl": "http://127.0.0.1:1/v1"},
                               "local": {"api": "openai-compatible", "baseUrl": "http://127.0.0.1:2/v1",
                                         "models": ["qwen", "llama"]}}}""");

        assertThat(router.configured()).isTrue();
        assertThat(names(router.candidates(null, List.of(), ModelRole.VISION))).containsExactly("local/qwen");
    }

    @Test
    void noProvidersMeansNotConfigured() throws Exception {
        assertThat(ModelRouter.builder().config(null).build().configured()).isFalse();
        assertThat(ModelRouter.builder().config(NullNode.getInstance()).build().configured()).isFalse();
        ModelRouter empty = router("{\"providers\": {}}");
        assertThat(empty.configured()).isFalse();
        assertThat(empty.candidates(null, List.of(), null)).isEmpty();
        assertThatThrownBy(() -> empty.chat(List.of(), ChatRequest.builder().messages(UserMessage.from("x")).build(),
                t -> { }, () -> false)).isInstanceOf(ModelException.class).hasMessageContaining("no provider");
    }

    @Test
    void badConfigIsRefusedWithItsPath() {
        assertThatThrownBy(() -> router("{\"providers\":{\"x\":{\"api\":\"openai-compatible\"}}}"))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageStartingWith("models.providers.x.baseUrl: required for api openai-compatible");
        assertThatThrownBy(() -> router("{\"providers\":{\"x\":{\"baseUrl\":\"file:///etc/passwd\"}}}"))
                .isInstanceOf(ModelConfigException.class)
                .satisfies(e -> assertThat(((ModelConfigException) e).path()).isEqualTo("models.providers.x.baseUrl"));
        assertThatThrownBy(() -> router("{\"routing\":{\"coder\":\"gpt-4o\"}}"))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("models.routing.coder")
                .hasMessageContaining("no provider");
        assertThatThrownBy(() -> router("{\"routing\":{\"writer\":\"openai/gpt-4o\"}}"))
                .hasMessageContaining("models.routing.writer: unknown role");
        assertThatThrownBy(() -> router("{\"fallbacks\":[\"openai/gpt-4o\", 3]}"))
                .hasMessage("models.fallbacks[1]: must be a string");
        assertThatThrownBy(() -> router("{\"providers\":{\"x\":{\"baseUrl\":\"http://h/v1\",\"models\":[\"a b\"]}}}"))
                .hasMessageContaining("models.providers.x.models[0]");
    }

    @Test
    void agentModelThatNoProviderListsIsAClearError() throws Exception {
        ModelRouter router = router(CONFIG);
        assertThatThrownBy(() -> router.candidates("gpt-5", List.of(), null))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("agent model: model 'gpt-5' is not listed by any provider")
                .hasMessageContaining("openai, anthropic, ollama");
        assertThatThrownBy(() -> router.candidates(null, List.of("openai/"), null))
                .hasMessageContaining("agent model fallbacks[0]");
    }

    @Test
    void modelRefParsing() {
        assertThat(ModelRef.parse("openai/gpt-4o")).isEqualTo(new ModelRef("openai", "gpt-4o"));
        assertThat(ModelRef.parse("openrouter/meta-llama/llama-3-70b").model()).isEqualTo("meta-llama/llama-3-70b");
        assertThat(ModelRef.parse("ollama/llama3.1:8b").toString()).isEqualTo("ollama/llama3.1:8b");
        for (String bad : new String[] {null, "", "  ", "gpt-4o", "/gpt-4o", "openai/", "open ai/gpt", "openai/gpt 4o",
                "-x/y"}) {
            assertThatThrownBy(() -> ModelRef.parse(bad, "agents.list[0].model"))
                    .as(String.valueOf(bad))
                    .isInstanceOf(ModelConfigException.class)
                    .hasMessageStartingWith("agents.list[0].model: ");
        }
    }

    @Test
    void providerSettingsNeverPrintTheKey() throws Exception {
        ProviderSettings openai = ModelsConfig.parse(JSON.readTree(CONFIG)).providers().get("openai");
        assertThat(openai.api()).isEqualTo("openai");
        assertThat(openai.models()).containsExactly("gpt-4o", "gpt-4o-mini");
        assertThat(openai.toString()).doesNotContain("sk-1234").contains("apiKey=***");
        assertThat(ModelsConfig.parse(JSON.readTree(CONFIG)).toString()).doesNotContain("sk-1234", "sk-ant-1");
    }

    @Test
    void builtInFactoriesRefuseSettingsThatCannotWork() {
        var noKey = ProviderSettings.of("openai", "openai", null, null, List.of("gpt-4o"));
        assertThatThrownBy(() -> OpenAiProviderFactory.openAi().create(noKey, "gpt-4o", Duration.ofSeconds(1)))
                .hasMessageContaining("has no apiKey");
        var anthropicNoKey = ProviderSettings.of("claude", "anthropic", null, " ", List.of());
        assertThatThrownBy(() -> AnthropicProviderFactory.create().create(anthropicNoKey, "c", Duration.ofSeconds(1)))
                .hasMessageContaining("has no apiKey");
        var compatibleNoUrl = ProviderSettings.of("local", "openai-compatible", null, null, List.of());
        assertThatThrownBy(() -> OpenAiProviderFactory.compatible().create(compatibleNoUrl, "m", Duration.ofSeconds(1)))
                .hasMessageContaining("needs a baseUrl");
        assertThat(AnthropicProviderFactory.withV1("https://api.anthropic.com")).isEqualTo("https://api.anthropic.com/v1/");
        assertThat(AnthropicProviderFactory.withV1("http://proxy/x/v1/")).isEqualTo("http://proxy/x/v1/");
    }

    /** What a plugin does: register a factory for its api; providers naming that api are then served by it. */
    @Test
    void pluginFactoryServesProvidersOfItsApi() throws Exception {
        ModelProviders providers = ModelProviders.withBuiltIns();
        List<String> created = new CopyOnWriteArrayList<>();
        ModelProviderFactory gemini = new ModelProviderFactory() {
            @Override
            public String api() {
                return "gemini";
            }

            @Override
            public StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout) {
                created.add(provider.id() + "/" + modelName + " key=" + provider.apiKey());
                return new StreamingChatModel() {
                    @Override
                    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                        handler.onPartialResponse("gem");
                        handler.onPartialResponse("ini");
                        handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("gemini")).build());
                    }
                };
            }
        };
        ModelRouter router = ModelRouter.builder().config(JSON.readTree(
                        "{\"providers\":{\"google\":{\"api\":\"gemini\",\"apiKey\":\"g-key\",\"models\":[\"gemini-pro\"]}}}"))
                .providers(providers).build();
        ChatRequest hi = ChatRequest.builder().messages(UserMessage.from("hi")).build();

        assertThatThrownBy(() -> router.chat(router.candidates(null, List.of(), null), hi, t -> { }, () -> false))
                .as("before the plugin registers")
                .hasMessage("All models failed: google/gemini-pro: no adapter for api 'gemini'");

        providers.register(gemini);
        List<String> partials = new CopyOnWriteArrayList<>();
        ChatResponse response = router.chat(router.candidates(null, List.of(), null), hi, partials::add, () -> false);

        assertThat(response.aiMessage().text()).isEqualTo("gemini");
        assertThat(partials).containsExactly("gem", "ini");
        assertThat(created).containsExactly("google/gemini-pro key=g-key");
        assertThat(providers.apis()).containsExactly("anthropic", "gemini", "google-generative-ai", "openai", "openai-compatible");
        assertThat(providers.unregister(gemini)).isTrue();
        assertThat(providers.find("gemini")).isEmpty();
    }

    @Test
    void aPluginCannotTakeOverABuiltInApiOrUseAMalformedId() {
        ModelProviders providers = ModelProviders.withBuiltIns();
        ModelProviderFactory impostor = new ModelProviderFactory() {
            @Override
            public String api() {
                return "openai";
            }

            @Override
            public StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout) {
                throw new AssertionError("must never be used");
            }
        };
        assertThatThrownBy(() -> providers.register(impostor)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
        assertThat(providers.find("openai")).get().isNotSameAs(impostor);
        assertThat(providers.unregister(impostor)).as("cannot unregister someone else's factory").isFalse();
        assertThat(providers.find("openai")).isPresent();

        ModelProviderFactory bad = new ModelProviderFactory() {
            @Override
            public String api() {
                return "Open AI";
            }

            @Override
            public StreamingChatModel create(ProviderSettings provider, String modelName, Duration timeout) {
                throw new AssertionError();
            }
        };
        assertThatThrownBy(() -> providers.register(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBuilderGivenNoSecretsRefusesAReferenceKeyAtTheCallNamingIt() throws Exception {
        ModelRouter router = router("""
                {"providers": {"vaulted": {"api": "openai-compatible", "baseUrl": "http://127.0.0.1:1/v1",
                               "apiKey": "op://Private/model/credential", "models": ["m"]}}}""");
        assertThatThrownBy(() -> router.chat(router.candidates(null, List.of(), null),
                ChatRequest.builder().messages(UserMessage.from("x")).build(), t -> { }, () -> false))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("vaulted/m: cannot resolve the api key")
                .hasMessageContaining("op://Private/model/credential")
                .hasMessageContaining("no Connect server is configured");
    }

    @Test
    void unknownProviderIsReportedAsSkipped() throws Exception {
        ModelRouter router = router(CONFIG);
        assertThatThrownBy(() -> router.chat(List.of(new ModelRef("nope", "m")),
                ChatRequest.builder().messages(UserMessage.from("x")).build(), t -> { }, () -> false))
                .hasMessage("All models failed: nope/m: unknown provider 'nope'");
    }
}

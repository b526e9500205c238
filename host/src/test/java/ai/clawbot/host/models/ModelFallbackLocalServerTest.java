package ai.clawbot.host.models;

import static ai.clawbot.testkit.model.LocalModelServer.JSON;
import static ai.clawbot.testkit.model.LocalModelServer.frame;
import static ai.clawbot.testkit.model.LocalModelServer.openAiReply;
import static ai.clawbot.testkit.model.LocalModelServer.openAiText;
import static ai.clawbot.testkit.model.LocalModelServer.openSse;
import static ai.clawbot.testkit.model.LocalModelServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.testkit.model.LocalModelServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fallback between two local OpenAI-wire servers: 5xx, 429, timeout, refused connection, cooldown. */
class ModelFallbackLocalServerTest {

    private static final ChatRequest HELLO = ChatRequest.builder().messages(UserMessage.from("hello")).build();
    /**
     * Every call's limit, the healthy second server's too: 600 ms was within reach of a loaded 2-core machine's pauses
     * while a local server answers; the silent servers below stay quiet for 5 s, well past 1.5 s.
     */
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private LocalModelServer first;
    private LocalModelServer second;
    private ModelRouter router;
    private final List<String> partials = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        first = LocalModelServer.start(openAiReply("m1", "from ", "first"));
        second = LocalModelServer.start(openAiReply("m2", "from ", "second"));
        router = routerFor(first.baseUrl(), second.baseUrl());
    }

    private ModelRouter routerFor(String firstUrl, String secondUrl) throws Exception {
        String json = "{\"providers\":{"
                + "\"a\":{\"api\":\"openai-compatible\",\"baseUrl\":\"" + firstUrl + "/v1\",\"apiKey\":\"sk-secret-aaaa\","
                + "\"models\":[\"m1\"]},"
                + "\"b\":{\"api\":\"openai-compatible\",\"baseUrl\":\"" + secondUrl + "/v1\",\"models\":[\"m2\"]}},"
                + "\"routing\":{\"planner\":\"a/m1\"},\"fallbacks\":[\"b/m2\"]}";
        return ModelRouter.builder().config(JSON.readTree(json)).clock(clock)
                .options(new ModelRouter.Options(TIMEOUT, Duration.ofMinutes(1), Duration.ofHours(1))).build();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    private ChatResponse call() throws ModelException {
        partials.clear();
        return router.chat(router.candidates(null, List.of(), null), HELLO, partials::add, () -> false);
    }

    @Test
    void http503FallsOverAndTheFailedProviderIsNotCalledAgainWhileCooling() throws Exception {
        first.respondWith(status(503, "{\"error\":{\"message\":\"overloaded\"}}"));

        assertThat(call().aiMessage().text()).isEqualTo("from second");
        assertThat(partials).containsExactly("from ", "second");
        assertThat(first.hits()).isEqualTo(1);
        assertThat(router.coolingDown()).containsOnlyKeys("a");
        assertThat(router.coolingDown().get("a")).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));

        assertThat(call().aiMessage().text()).isEqualTo("from second");
        assertThat(first.hits()).as("first server skipped while cooling down").isEqualTo(1);
        assertThat(second.hits()).isEqualTo(2);
    }

    @Test
    void http429FallsOverWithCooldown() throws Exception {
        first.respondWith(status(429, "{\"error\":{\"message\":\"slow down\"}}"));

        assertThat(call().aiMessage().text()).isEqualTo("from second");
        assertThat(router.coolingDown()).containsOnlyKeys("a");
    }

    @Test
    void timeoutFallsOverWithCooldown() throws Exception {
        first.respondWith((request, exchange) -> Thread.sleep(5_000));

        long start = System.nanoTime();
        assertThat(call().aiMessage().text()).isEqualTo("from second");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isBetween(TIMEOUT.toMillis() - 50, 4_500L);
        assertThat(router.coolingDown()).containsOnlyKeys("a");
    }

    @Test
    void silenceAfterHeadersIsATimeoutToo() throws Exception {
        first.respondWith((request, exchange) -> {
            openSse(exchange); // headers, then nothing: the JDK request timeout no longer applies
            Thread.sleep(5_000);
        });

        assertThat(call().aiMessage().text()).isEqualTo("from second");
        assertThat(router.coolingDown()).containsOnlyKeys("a");
    }

    @Test
    void refusedConnectionFallsOverWithCooldown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        router = routerFor("http://127.0.0.1:" + closedPort, second.baseUrl());

        assertThat(call().aiMessage().text()).isEqualTo("from second");
        assertThat(router.coolingDown()).containsOnlyKeys("a");

        second.respondWith(status(500, "{}"));
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(this::call)
                .isInstanceOf(ModelException.class)
                .hasMessage("All models failed: a/m1: connection refused; b/m2: HTTP 500");
    }

    @Test
    void cooldownExpiresAndThenDoublesOnTheNextConsecutiveFailure() throws Exception {
        first.respondWith(status(502, "bad gateway"));
        call();
        assertThat(first.hits()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(59));
        call();
        assertThat(first.hits()).as("still cooling after 59 s").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        call();
        assertThat(first.hits()).as("tried again once the minute is over").isEqualTo(2);
        assertThat(router.coolingDown().get("a")).as("second consecutive failure: two minutes")
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));

        first.respondWith(openAiReply("m1", "back"));
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(call().aiMessage().text()).isEqualTo("back");
        assertThat(first.hits()).isEqualTo(3);
        assertThat(router.coolingDown()).as("success clears the cooldown").isEmpty();
    }

    @Test
    void allFailListsEveryCandidateWithItsReason() throws Exception {
        first.respondWith(status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        second.respondWith(status(500, "{\"error\":{\"message\":\"internal\"}}"));

        assertThatThrownBy(this::call)
                .isInstanceOf(ModelException.class)
                .hasMessage("All models failed: a/m1: HTTP 503: overloaded; b/m2: HTTP 500: internal")
                .satisfies(e -> assertThat(((ModelException) e).attempts())
                        .extracting(ModelException.Attempt::kind)
                        .containsExactly(ModelException.Kind.RETRYABLE, ModelException.Kind.RETRYABLE));
        assertThat(partials).isEmpty();
    }

    @Test
    void whenEveryCandidateIsCoolingTheLeastRecentlyFailedIsTriedAnyway() throws Exception {
        first.respondWith(status(503, "{}"));
        second.respondWith(status(503, "{}"));
        assertThatThrownBy(this::call).isInstanceOf(ModelException.class); // a fails, then b, same instant
        clock.advance(Duration.ofSeconds(1));
        second.respondWith(status(503, "{}"));
        assertThatThrownBy(() -> router.chat(List.of(new ModelRef("b", "m2")), HELLO, t -> { }, () -> false))
                .as("b alone, cooling: still tried, and fails a second later than a")
                .hasMessage("All models failed: b/m2: HTTP 503");
        assertThat(first.hits()).isEqualTo(1);
        assertThat(second.hits()).isEqualTo(2);

        first.respondWith(openAiReply("m1", "rescued"));
        ChatResponse response = call();

        assertThat(response.aiMessage().text()).isEqualTo("rescued");
        assertThat(first.hits()).as("a failed least recently: tried despite its cooldown").isEqualTo(2);
        assertThat(second.hits()).as("b was not also tried").isEqualTo(2);
    }

    @Test
    void unauthorizedFallsOverWithoutCooldownAndTheEchoedKeyIsRedacted() throws Exception {
        first.respondWith(status(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-secret-aaaa\"}}"));

        assertThat(call().aiMessage().text()).isEqualTo("from second");
        assertThat(router.coolingDown()).isEmpty();
        call();
        assertThat(first.hits()).as("no cooldown after 401: tried again").isEqualTo(2);

        second.respondWith(status(503, "{}"));
        assertThatThrownBy(this::call)
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("a/m1: HTTP 401: Incorrect API key provided: ***")
                .hasMessageNotContaining("sk-secret-aaaa")
                .satisfies(e -> assertThat(((ModelException) e).attempts().get(0).kind())
                        .isEqualTo(ModelException.Kind.REJECTED));
    }

    @Test
    void failureAfterTextWasStreamedDoesNotFallOver() throws Exception {
        first.respondWith((request, exchange) -> {
            OutputStream out = openSse(exchange);
            frame(out, null, openAiText("m1", "Half an ans"));
            frame(out, "error", "{\"error\":{\"message\":\"backend crashed\"}}");
        });

        assertThatThrownBy(this::call)
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("a/m1")
                .hasMessageContaining("backend crashed")
                .satisfies(e -> assertThat(((ModelException) e).partialText()).isEqualTo("Half an ans"));
        assertThat(partials).containsExactly("Half an ans");
        assertThat(second.hits()).as("no second answer after the user saw the first").isZero();
    }
}

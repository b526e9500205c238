package ai.clawbot.host.config;

import static ai.clawbot.host.config.ConfigFixtures.API_KEY;
import static ai.clawbot.host.config.ConfigFixtures.TOKEN;
import static ai.clawbot.host.config.ConfigFixtures.VALID;
import static ai.clawbot.host.config.ConfigFixtures.bytes;
import static ai.clawbot.host.config.ConfigFixtures.json;
import static ai.clawbot.host.config.ConfigFixtures.text;
import static ai.clawbot.host.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.get never shows a secret; a redacted config written back keeps them; the placeholder moves nothing. */
class ConfigRedactionTest {

    private static final String R = ConfigStore.REDACTED;

    @TempDir
    Path dir;
    Path file;
    ConfigStore store;

    @BeforeEach
    void load() throws ConfigException {
        file = dir.resolve("openclaw.json");
        String plugins = """
                "plugins": {
                  "mail": { "password": "hunter2-mail-pw", "servers": [ { "host": "imap", "Secret": "nested-secret-42" } ] },
                  "bot": { "TOKEN": "upper-case-token-77", "tokens": 3, "maxTokens": 4096 }
                },
                """;
        write(file, VALID.replace("\"agents\": {", plugins + "\"agents\": {"));
        store = ConfigStore.open(file);
        store.load();
    }

    @Test
    void everySecretIsReplacedAndNothingElse() {
        ObjectNode shown = store.redacted();
        assertThat(shown.at("/gateway/auth/token").asText()).isEqualTo(R);
        assertThat(shown.at("/models/providers/openai/apiKey").asText()).isEqualTo(R);
        assertThat(shown.at("/plugins/mail/password").asText()).isEqualTo(R);
        assertThat(shown.at("/plugins/mail/servers/0/Secret").asText()).isEqualTo(R);
        assertThat(shown.at("/plugins/bot/TOKEN").asText()).isEqualTo(R);
        String all = shown.toString();
        for (String secret : new String[] {TOKEN, API_KEY, "hunter2-mail-pw", "nested-secret-42", "upper-case-token-77"}) {
            assertThat(all).doesNotContain(secret);
        }
        assertThat(shown.at("/plugins/bot/maxTokens").asInt()).as("a key that merely contains 'token' is not a secret").isEqualTo(4096);
        assertThat(shown.at("/plugins/bot/tokens").asInt()).isEqualTo(3);
        assertThat(shown.at("/gateway/port").asInt()).isEqualTo(18789);
        assertThat(shown.at("/models/providers/openai/baseUrl").asText()).isEqualTo("https://api.openai.com/v1");
        assertThat(store.current().config().at("/gateway/auth/token").asText()).as("redaction works on a copy").isEqualTo(TOKEN);
    }

    @Test
    void aRedactedConfigWrittenBackKeepsEverySecret() throws Exception {
        ObjectNode edited = store.redacted();
        edited.withObjectProperty("gateway").put("port", 20010);
        Snapshot s = store.replace(store.current().hash(), edited);

        assertThat(s.config().at("/gateway/port").asInt()).isEqualTo(20010);
        assertThat(s.config().at("/gateway/auth/token").asText()).isEqualTo(TOKEN);
        assertThat(s.config().at("/models/providers/openai/apiKey").asText()).isEqualTo(API_KEY);
        assertThat(s.config().at("/plugins/mail/servers/0/Secret").asText()).isEqualTo("nested-secret-42");
        assertThat(text(file)).doesNotContain(R).contains(TOKEN).contains(API_KEY);
        assertThat(store.redacted().at("/gateway/auth/token").asText()).isEqualTo(R);
    }

    @Test
    void thePlaceholderInAPatchKeepsTheSecretAndANewValueReplacesIt() throws Exception {
        Snapshot kept = store.patch(store.current().hash(), json("{\"gateway\": {\"auth\": {\"token\": \"" + R + "\"}, \"port\": 20011}}"));
        assertThat(kept.config().at("/gateway/auth/token").asText()).isEqualTo(TOKEN);
        Snapshot replaced = store.patch(kept.hash(), json("{\"gateway\": {\"auth\": {\"token\": \"a-brand-new-token-0001\"}}}"));
        assertThat(replaced.config().at("/gateway/auth/token").asText()).isEqualTo("a-brand-new-token-0001");
    }

    @Test
    void thePlaceholderCannotCopyASecretToAnotherPlace() throws Exception {
        byte[] before = bytes(file);
        String hash = store.current().hash();
        // No stored value at these paths: the placeholder would otherwise land as a literal, or fish for a secret.
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> store.patch(hash,
                json("{\"plugins\": {\"leak\": {\"note\": \"" + R + "\"}}, \"models\": {\"providers\": {\"evil\": {\"baseUrl\": \"https://evil.example\", \"apiKey\": \"" + R + "\"}}}}")));
        assertThat(e.problems()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("$.plugins.leak.note", "$.models.providers.evil.apiKey");
        assertThat(bytes(file)).isEqualTo(before);
    }

    @Test
    void aStoredKeyIsNotSentToANewBaseUrl() throws Exception {
        byte[] before = bytes(file);
        String hash = store.current().hash();
        // The key cannot be read through config.get; pointing its provider elsewhere must not leak it either.
        ConfigException omitted = catchThrowableOfType(ConfigException.class, () -> store.patch(hash,
                json("{\"models\": {\"providers\": {\"openai\": {\"baseUrl\": \"https://evil.example/v1\"}}}}")));
        assertThat(omitted.problems()).extracting(ConfigProblem::path).containsExactly("$.models.providers.openai.apiKey");
        ConfigException viaPlaceholder = catchThrowableOfType(ConfigException.class, () -> store.patch(hash,
                json("{\"models\": {\"providers\": {\"openai\": {\"baseUrl\": \"https://evil.example/v1\", \"apiKey\": \"" + R + "\"}}}}")));
        assertThat(viaPlaceholder.problems()).extracting(ConfigProblem::path).containsExactly("$.models.providers.openai.apiKey");
        ObjectNode whole = store.redacted();
        whole.withObjectProperty("models").withObjectProperty("providers").withObjectProperty("openai").remove("baseUrl");
        ConfigException viaReplace = catchThrowableOfType(ConfigException.class, () -> store.replace(hash, whole));
        assertThat(viaReplace.problems()).extracting(ConfigProblem::path).containsExactly("$.models.providers.openai.apiKey");
        assertThat(bytes(file)).isEqualTo(before);

        Snapshot moved = store.patch(hash, json("{\"models\": {\"providers\": {\"openai\": {\"baseUrl\": \"https://proxy.example/v1\", \"apiKey\": \"sk-new-key\"}}}}"));
        assertThat(moved.config().at("/models/providers/openai/apiKey").asText()).as("sending the key again is fine").isEqualTo("sk-new-key");
    }

    @Test
    void theRedactedConfigOfALastKnownGoodStartHidesSecretsToo() throws Exception {
        write(file, "{ broken");
        ConfigStore fallback = ConfigStore.open(file);
        assertThat(fallback.load()).isInstanceOf(Loaded.LastKnownGood.class);
        assertThat(fallback.redacted().toString()).doesNotContain(TOKEN).doesNotContain(API_KEY);
    }
}

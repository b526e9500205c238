package ai.clawbot.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.host.config.ConfigException;
import ai.clawbot.host.config.ConfigProblem;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway.store}: checked by the config schema, and a store that cannot be used stops the start with why. */
class GatewayStoreConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private java.util.List<String> problems(String config) throws Exception {
        Path file = dir.resolve("openclaw.json");
        Files.writeString(file, config);
        try {
            ConfigStore.open(file).load();
            return java.util.List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::path).toList();
        }
    }

    @Test
    void theSchemaRefusesAStoreThatCannotWorkAndNamesItsPath() throws Exception {
        assertThat(problems("{\"gateway\": {\"store\": {\"kind\": \"postgres\"}}}")).as("postgres needs a url").contains("$.gateway.store.url");
        assertThat(problems("{\"gateway\": {\"store\": {\"kind\": \"mysql\", \"url\": \"jdbc:mysql://x/y\"}}}"))
                .contains("$.gateway.store.kind");
        assertThat(problems("{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\": \"postgres://x/y\"}}}"))
                .contains("$.gateway.store.url");
        assertThat(problems("{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\": \"jdbc:postgresql://x/y\", \"password\": \"p\"}}}"))
                .as("a password never sits in the config: passwordSecret names a vault secret").isNotEmpty();
        assertThat(problems("{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\": \"jdbc:postgresql://db:5432/claw\","
                + " \"user\": \"claw\", \"passwordSecret\": \"CLAW_PG\", \"maxPoolSize\": 4}}}")).isEmpty();
        assertThat(problems("{\"gateway\": {\"store\": {\"kind\": \"file\"}}}")).isEmpty();
        assertThat(StoreSettings.fromConfig(JSON.readTree("{}"))).isInstanceOf(StoreSettings.Files.class);
        assertThat(StoreSettings.fromConfig(JSON.readTree("{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\":"
                + " \"jdbc:postgresql://h/d\"}}}"))).isEqualTo(new StoreSettings.Postgres("jdbc:postgresql://h/d", null, null, 8));
    }

    @Test
    void aGatewayWhoseDatabaseIsUnreachableRefusesToStartAndSaysWhy() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\":"
                + " \"jdbc:postgresql://127.0.0.1:" + closedPort + "/claw\"}}}");
        assertThatThrownBy(() -> TestGateway.start(state, Gateway.Options.defaults())).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort);

        Files.writeString(state.resolve("openclaw.json"), "{\"gateway\": {\"store\": {\"kind\": \"postgres\", \"url\":"
                + " \"jdbc:postgresql://127.0.0.1:" + closedPort + "/claw\", \"passwordSecret\": \"NO_SUCH_SECRET\"}}}");
        assertThatThrownBy(() -> TestGateway.start(state, Gateway.Options.defaults())).isInstanceOf(StoreException.class)
                .hasMessageContaining("gateway.store.passwordSecret 'NO_SUCH_SECRET'");
    }
}

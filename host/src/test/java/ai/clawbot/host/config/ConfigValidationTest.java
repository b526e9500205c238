package ai.clawbot.host.config;

import static ai.clawbot.host.config.ConfigFixtures.bytes;
import static ai.clawbot.host.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a file on disk may hold, and how exactly a bad one is reported (the gateway refuses to start with it). */
class ConfigValidationTest {

    @TempDir
    Path dir;

    private ConfigException refused(String content) {
        Path file = dir.resolve("openclaw.json");
        write(file, content);
        byte[] before = bytes(file);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigStore.open(file).load());
        assertThat(e.file()).isEqualTo(file.toAbsolutePath());
        assertThat(e.getMessage()).startsWith(file.toAbsolutePath() + ": ");
        assertThat(bytes(file)).as("a broken file is never rewritten").isEqualTo(before);
        return e;
    }

    private static List<String> paths(ConfigException e) {
        return e.problems().stream().map(ConfigProblem::path).toList();
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() {
        ConfigException e = refused("{\n  \"gateway\": {\n    \"port\": 1,\n  ]\n}\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("not valid JSON at line 4, column 3").contains("$.gateway");
    }

    @Test
    void aTruncatedFileIsRefusedWithItsLocation() {
        ConfigException e = refused("{\n  \"gateway\": {\"port\": 1");
        assertThat(e.getMessage()).contains("line 2, column").doesNotContain("Source:");
    }

    @Test
    void anOutOfRangePortNamesItsPath() {
        ConfigException e = refused("{\"gateway\": {\"port\": 70000}}");
        assertThat(e.problems()).containsExactly(new ConfigProblem("$.gateway.port", "must have a maximum value of 65535"));
        assertThat(e.getMessage()).contains("$.gateway.port");
    }

    @Test
    void aMisspelledKeyIsRefusedAtItsOwnPath() {
        ConfigException e = refused("{\"gateway\": {\"prot\": 18789}}");
        assertThat(paths(e)).containsExactly("$.gateway.prot");
        assertThat(e.getMessage()).contains("unknown property 'prot'");
        assertThat(paths(refused("{\"gatway\": {}}"))).containsExactly("$.gatway");
        assertThat(paths(refused("{\"models\": {\"providers\": {\"o\": {\"apikey\": \"x\"}}}}"))).containsExactly("$.models.providers.o.apikey");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ConfigException e = refused("{\"gateway\": {\"port\": 0, \"tickIntervalMs\": 10, \"auth\": {\"mode\": \"oauth\"}}}");
        assertThat(paths(e)).containsExactlyInAnyOrder("$.gateway.port", "$.gateway.tickIntervalMs", "$.gateway.auth.mode");
        assertThat(e.getMessage()).contains("3 problems");
    }

    @Test
    void duplicateKeysAreRefused() {
        // Otherwise a reviewer reads the first value while the last one applies.
        ConfigException e = refused("{\"gateway\": {\"auth\": {\"mode\": \"token\", \"mode\": \"none\"}}}");
        assertThat(e.getMessage()).contains("Duplicate field 'mode'").contains("line 1");
        assertThat(paths(e)).containsExactly("$.gateway.auth.mode");
    }

    @Test
    void trailingContentEmptyFilesAndNonObjectsAreRefused() {
        assertThat(refused("{\"gateway\": {}} {\"gateway\": {\"port\": 1}}").getMessage()).contains("content after the end of the JSON object");
        assertThat(refused("{} x").getMessage()).contains("line 1, column 5");
        assertThat(refused("").getMessage()).contains("empty");
        assertThat(refused("  \n").getMessage()).contains("empty");
        assertThat(refused("[]").getMessage()).contains("must be a JSON object");
        assertThat(refused("\"text\"").getMessage()).contains("must be a JSON object");
    }

    @Test
    void authNoneIsRefusedOnANonLoopbackBind() {
        ConfigException e = refused("{\"gateway\": {\"bind\": \"lan\", \"auth\": {\"mode\": \"none\"}}}");
        assertThat(paths(e)).containsExactly("$.gateway.auth.mode");
        assertThat(paths(refused("{\"gateway\": {\"bind\": \"0.0.0.0\", \"auth\": {\"mode\": \"none\"}}}"))).containsExactly("$.gateway.auth.mode");
        assertThat(paths(refused("{\"gateway\": {\"bind\": \"::\", \"auth\": {\"mode\": \"none\"}}}"))).containsExactly("$.gateway.auth.mode");
        assertThat(paths(refused("{\"gateway\": {\"bind\": \"192.168.1.10\", \"auth\": {\"mode\": \"none\"}}}"))).containsExactly("$.gateway.auth.mode");
    }

    @Test
    void authNoneIsAllowedOnLoopback() {
        ConfigValidator v = ConfigValidator.create();
        for (String bind : List.of("loopback", "localhost", "127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1")) {
            assertThat(v.validate(ConfigFixtures.json("{\"gateway\": {\"bind\": \"" + bind + "\", \"auth\": {\"mode\": \"none\"}}}")))
                    .as(bind).isEmpty();
        }
        assertThat(v.validate(ConfigFixtures.json("{\"gateway\": {\"auth\": {\"mode\": \"none\"}}}"))).as("default bind").isEmpty();
    }

    @Test
    void bindMustBeAKnownWordOrAnAddressLiteral() {
        ConfigValidator v = ConfigValidator.create();
        for (String bad : List.of("all", "example.com", "256.1.1.1", "1.2.3", "1.2.3.4:80", "::g", "fe80::1::2")) {
            assertThat(v.validate(ConfigFixtures.json("{\"gateway\": {\"bind\": \"" + bad + "\"}}")))
                    .as(bad).extracting(ConfigProblem::path).containsExactly("$.gateway.bind");
        }
        for (String good : List.of("lan", "10.0.0.1", "fe80::1", "2001:db8::8")) {
            assertThat(v.validate(ConfigFixtures.json("{\"gateway\": {\"bind\": \"" + good + "\"}}"))).as(good).isEmpty();
        }
    }

    @Test
    void agentIdsAreUniqueAndOnlyOneAgentIsTheDefault() {
        ConfigException e = refused("""
                {"agents": {"list": [
                  {"id": "main", "default": true}, {"id": "coder"}, {"id": "main"}, {"id": "r", "default": true}
                ]}}""");
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("$.agents.list[2].id", "$.agents.list[3].default");
        assertThat(e.getMessage()).contains("duplicate agent id 'main'").contains("more than one agent has default: true");
    }

    @Test
    void agentsAreStrict() {
        assertThat(paths(refused("{\"agents\": {\"list\": [{\"name\": \"no id\"}]}}"))).containsExactly("$.agents.list[0].id");
        assertThat(paths(refused("{\"agents\": {\"list\": [{\"id\": \"Main\"}]}}"))).containsExactly("$.agents.list[0].id");
        assertThat(paths(refused("{\"agents\": {\"list\": [{\"id\": \"a\", \"sytemPrompt\": \"x\"}]}}"))).containsExactly("$.agents.list[0].sytemPrompt");
        assertThat(paths(refused("{\"agents\": {\"list\": [{\"id\": \"a\", \"model\": {\"fallbacks\": []}}]}}"))).contains("$.agents.list[0].model");
    }

    @Test
    void aFullConfigIsValid() {
        String full = """
                {
                  "$schema": "./openclaw.schema.json",
                  "meta": {"lastTouchedVersion": "1.0"},
                  "gateway": {
                    "port": 18789, "bind": "lan", "tickIntervalMs": 15000,
                    "auth": {"mode": "token", "token": "0123456789abcdef",
                             "rateLimit": {"maxAttempts": 10, "windowMs": 60000, "lockoutMs": 0, "exemptLoopback": true}},
                    "controlUi": {"enabled": true, "allowedOrigins": ["http://localhost:5173", "https://claw.example.com"]},
                    "http": {"endpoints": {"chatCompletions": {"enabled": false}}}
                  },
                  "agents": {
                    "defaults": {"model": "openai/gpt-5", "anything": [1, 2]},
                    "list": [
                      {"id": "main", "default": true, "name": "Main", "type": "default", "model": "openai/gpt-5"},
                      {"id": "coder_1", "type": "coder", "model": {"primary": "anthropic/claude", "fallbacks": ["openai/gpt-5"]},
                       "systemPrompt": "x", "skills": ["obsidian"], "tools": {"allow": ["read"], "deny": ["exec"]},
                       "workspace": "~/work", "permissions": {"fs": "ro"}, "approvals": {"exec": "ask"}}
                    ]
                  },
                  "models": {
                    "providers": {
                      "openai": {"baseUrl": "https://api.openai.com/v1", "api": "openai", "apiKey": "sk", "models": ["gpt-5", {"id": "o3", "ctx": 1}]},
                      "anthropic": {"api": "anthropic"}
                    },
                    "routing": {"planner": "anthropic/claude", "coder": "openai/gpt-5", "fast": "openai/gpt-5", "vision": "openai/gpt-5"},
                    "fallbacks": ["openai/gpt-5"]
                  },
                  "plugins": {"x": {"anything": true}},
                  "sandbox": {"any": 1},
                  "logging": {"level": "debug", "file": "x.log"},
                  "session": {"dmScope": "main"}
                }
                """;
        assertThat(ConfigValidator.create().validate(ConfigFixtures.json(full))).isEmpty();
    }

    @Test
    void freeSectionsMustStillBeObjects() {
        assertThat(paths(refused("{\"plugins\": []}"))).containsExactly("$.plugins");
        assertThat(paths(refused("{\"logging\": {\"level\": 3}}"))).containsExactly("$.logging.level");
        assertThat(paths(refused("{\"gateway\": {\"controlUi\": {\"allowedOrigins\": [\"http://x/path\"]}}}")))
                .containsExactly("$.gateway.controlUi.allowedOrigins[0]");
    }

    @Test
    void problemsNeverQuoteTheValueTheyRefuse() {
        // A token one character too short is a secret all the same: it must not reach logs or replies.
        String almostToken = "s3cr3t-v4lue-15";
        assertThat(refused("{\"gateway\": {\"auth\": {\"token\": \"" + almostToken + "\"}}}").getMessage()).doesNotContain(almostToken);
        String unquoted = "sk_live_ABCDEFGHIJKLMNOP";
        assertThat(refused("{\"models\": {\"providers\": {\"o\": {\"apiKey\": " + unquoted + "}}}}").getMessage())
                .contains("line 1").doesNotContain("sk_live").doesNotContain("ABCDEF");
    }

    @Test
    void theSchemaIsAvailableForConfigSchema() {
        assertThat(ConfigValidator.create().schema().path("$defs").path("gateway").path("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void aProblemListCannotBeEmpty() {
        assertThatThrownBy(() -> new ConfigException(dir, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}

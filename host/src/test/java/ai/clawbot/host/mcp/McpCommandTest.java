package ai.clawbot.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clawbot.host.cli.McpCommand;
import ai.clawbot.host.testkit.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code claw mcp add --url | list | remove} on a state folder, and what {@code add} refuses before touching anything
 * (the npm path itself runs in McporterSkillEndToEndTest).
 */
class McpCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Path state;
    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        state = Files.createTempDirectory("claw-mcp-cli");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestGateway.deleteTree(state);
    }

    private int claw(String... args) {
        shown.reset();
        PrintStream out = new PrintStream(shown, true, StandardCharsets.UTF_8);
        return new CommandLine(new McpCommand(Map.of("OPENCLAW_STATE_DIR", state.toString()), out, out)).execute(args);
    }

    private JsonNode config() throws Exception {
        return JSON.readTree(state.resolve("openclaw.json").toFile()).at("/plugins/entries/mcporter/config");
    }

    @Test
    void anHttpServerIsConfiguredAndGrantedThenListedThenRemovedWithItsGrant() throws Exception {
        assertThat(claw("add", "tools", "--url", "http://127.0.0.1:3001/mcp")).as(shown.toString()).isZero();
        assertThat(config().at("/mcpServers/tools/baseUrl").asText()).isEqualTo("http://127.0.0.1:3001/mcp");
        assertThat(config().path("http_allow").toString()).isEqualTo("[\"http://127.0.0.1:3001/mcp\"]");

        assertThat(claw("list")).isZero();
        assertThat(shown.toString()).contains("tools  http  http://127.0.0.1:3001/mcp");
        assertThat(claw("add", "tools", "--url", "http://127.0.0.1:3002/mcp")).isEqualTo(1);
        assertThat(shown.toString()).contains("configured already");

        assertThat(claw("remove", "tools")).isZero();
        assertThat(config().path("mcpServers").has("tools")).isFalse();
        assertThat(config().path("http_allow").size()).isZero();
        assertThat(claw("remove", "tools")).isEqualTo(1);
    }

    @Test
    void addingToACommentedJson5ConfigKeepsItsCommentsAndLayout() throws Exception {
        Path file = state.resolve("openclaw.json");
        String original = "// my gateway\n{\n  gateway: { port: 18789 }, // local only\n}\n";
        Files.writeString(file, original);

        assertThat(claw("add", "tools", "--url", "http://127.0.0.1:3001/mcp")).as(shown.toString()).isZero();

        assertThat(Files.readString(file)).startsWith("// my gateway\n{\n  gateway: { port: 18789 }, // local only\n  plugins: {\n")
                .endsWith("\n  },\n}\n");
        assertThat(state.resolve("openclaw.json.bak")).doesNotExist();
        JsonNode config = ai.clawbot.host.config.ConfigStore.open(file).inspect();
        assertThat(config.at("/plugins/entries/mcporter/config/mcpServers/tools/baseUrl").asText()).isEqualTo("http://127.0.0.1:3001/mcp");
        assertThat(config.at("/gateway/port").asInt()).isEqualTo(18789);

        assertThat(claw("remove", "tools")).as(shown.toString()).isZero();
        assertThat(Files.readString(file)).startsWith("// my gateway\n{\n  gateway: { port: 18789 }, // local only\n");
    }

    @Test
    void removingAServerThatIsNotThereFailsAndLeavesTheFileByteForByte() throws Exception {
        Path file = state.resolve("openclaw.json");
        String original = "// mine\n{ gateway: { port: 18789 } }\n";
        Files.writeString(file, original);

        assertThat(claw("remove", "nope")).isEqualTo(1);

        assertThat(shown.toString()).contains("no MCP server named 'nope'");
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void badNamesAndPackageSpecsAreRefusedAndNothingIsWritten() {
        assertThat(claw("add", "../escape", "--npm", "left-pad")).isEqualTo(2);
        assertThat(claw("add", "ok", "--npm", "https://evil.example/pkg.tgz")).isEqualTo(2);
        assertThat(shown.toString()).contains("registry package");
        assertThat(claw("add", "ok", "--npm", "git+ssh://git@host/x.git")).isEqualTo(2);
        assertThat(claw("add", "ok")).isEqualTo(2);
        assertThat(state.resolve("openclaw.json")).doesNotExist();
        assertThat(state.resolve("mcp/ok")).doesNotExist();
    }
}

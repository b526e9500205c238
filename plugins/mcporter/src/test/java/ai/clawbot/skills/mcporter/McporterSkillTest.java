package ai.clawbot.skills.mcporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.testkit.SkillHarness;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The skill's own rules, in-process (the servers themselves are exercised end to end in the host's tests). */
class McporterSkillTest {

    @Test
    void withoutConfiguredServersItSaysSoAndRefusesAnyServerName() {
        try (SkillHarness h = SkillHarness.of(new McporterSkill())) {
            h.call("list_servers").ok().textContains("no MCP servers are configured");
            ToolException e = h.refuse("list_tools", SkillHarness.args("server", "everything"));
            assertThat(e.code()).isEqualTo("UNKNOWN_SERVER");
        }
    }

    @Test
    void anArgumentCannotNameACommandOrAUrl() {
        try (SkillHarness h = SkillHarness.of(new McporterSkill())) {
            assertThatThrownBy(() -> h.call("call", "server", "x", "tool", "echo", "command", "sh"))
                    .hasMessageContaining("command");
            assertThatThrownBy(() -> h.call("list_tools", "server", "http://evil.example/mcp")).hasMessageContaining("server");
        }
    }

    @Test
    void anEntryIsStdioOrHttpNeverBoth() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ServerEntry.from("x", json.readTree("{\"command\":\"node\",\"baseUrl\":\"http://h/mcp\"}")))
                .hasMessageContaining("exactly one");
        ServerEntry e = ServerEntry.from("x", json.readTree("{\"command\":\"node\",\"args\":[\"a.js\"],\"env\":{\"K\":\"secret\"}}"));
        assertThat(e.stdio()).isTrue();
        assertThat(e.target()).isEqualTo("node a.js").doesNotContain("secret");
    }

    @Test
    void resultsOverTheCapAreCutOnACharacterBoundaryWithAMarker() {
        String text = "é".repeat(1000);
        String cut = ResultText.cut(text, 1001);
        assertThat(cut).startsWith("é".repeat(500)).endsWith("[mcporter: result cut at 1000 of 2000 bytes]");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThan(1100);
        assertThat(ResultText.cut("short", 1024)).isEqualTo("short");
    }
}

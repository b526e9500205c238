package ai.clawbot.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clawbot.plugin.api.ToolContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool server's settings: the host's JSON file over {@code --set} strings; typed and string access in a tool. */
class SettingsFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFileIsReadOverTheStringSettingsAndATypedValueReachesTheTool(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"imap\": {\"host\": \"mail.example.com\", \"port\": 993}, \"sites\": [\"a:443\"], \"mode\": \"file\"}");
        JsonNode s = ToolServerMain.readSettings(file, Map.of("mode", "argv", "vault", "notes"));
        ToolContext ctx = new ToolContext(Path.of("/workspace"), s);
        assertThat(ctx.setting("mode")).hasValue("file");
        assertThat(ctx.setting("vault")).hasValue("notes");
        assertThat(ctx.setting("sites")).as("not a scalar").isEmpty();
        assertThat(ctx.settingAt("imap", "port").asInt()).isEqualTo(993);
        assertThat(ctx.settings().path("sites").get(0).asText()).isEqualTo("a:443");
        ((com.fasterxml.jackson.databind.node.ObjectNode) ctx.settings()).put("mode", "changed");
        assertThat(ctx.setting("mode")).as("a tool cannot change what the next call sees").hasValue("file");
    }

    @Test
    void withoutAFileTheStringSettingsStandAndAFileThatIsNotAnObjectIsRefused(@TempDir Path dir) throws Exception {
        assertThat(ToolServerMain.readSettings(dir.resolve("absent.json"), Map.of("k", "v"))).isEqualTo(JSON.readTree("{\"k\":\"v\"}"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[1]");
        assertThatThrownBy(() -> ToolServerMain.readSettings(bad, Map.of())).hasMessageContaining("not a JSON object");
        assertThat(new ToolContext(Path.of("/w"), Map.of("x", "1")).setting("x")).hasValue("1");
    }
}

package ai.clawbot.host.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a transcript file as raw JSON lines, checked to be whole (every line parses, newline at the end). */
final class TranscriptLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptLines() {
    }

    /** Every line of {@code file} parsed; fails the test if any line does not parse or the last lacks its newline. */
    static List<JsonNode> parseAll(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).as("transcript %s ends with a complete line", file.getFileName()).endsWith("\n");
        List<JsonNode> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            lineNo++;
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("line %d of %s is a JSON object", lineNo, file.getFileName()).isTrue();
                out.add(node);
            } catch (IOException e) {
                fail("line " + lineNo + " of " + file.getFileName() + " does not parse: "
                        + (line.length() > 120 ? line.substring(0, 120) + "…" : line), e);
            }
        }
        return out;
    }

    /** Appends raw bytes to {@code file}, as a crash (or a careless editor) might leave them. */
    static void appendRaw(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
    }
}

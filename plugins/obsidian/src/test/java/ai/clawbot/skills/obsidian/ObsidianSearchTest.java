package ai.clawbot.skills.obsidian;

import static ai.clawbot.testkit.SkillHarness.args;
import static ai.clawbot.testkit.SkillHarness.writeFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ai.clawbot.testkit.HarnessCall;
import ai.clawbot.testkit.SkillHarness;

class ObsidianSearchTest {

    @TempDir
    Path tmp;

    private Path vault;
    private SkillHarness tools;

    @BeforeEach
    void vault() throws Exception {
        vault = Files.createDirectory(tmp.resolve("vault"));
        writeFile(vault, "Daily/meeting-2024-01-01.md", "Meeting with Bob\nlunch\n  we agreed to meet again: MEETING on Friday  \n");
        writeFile(vault, "Projects/Meeting Notes.md", "meeting one\nMeeting two\nmeeting three\nno match\n");
        writeFile(vault, "archive/old meeting.md", "nothing relevant\n");
        writeFile(vault, "Ideas.md", "a meeting of minds\n");
        writeFile(vault, ".obsidian/meeting-workspace.md", "meeting meeting meeting\n");
        writeFile(vault, "Projects/.hidden/meeting.md", "meeting\n");
        writeFile(vault, "meeting-agenda.txt", "meeting\n");
        tools = SkillHarness.of(new ObsidianSkill()).workspace(vault);
    }

    private static List<String> paths(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("path").asText()));
        return out;
    }

    @Test
    void searchMatchesNoteNamesCaseInsensitivelyAndSkipsHiddenFoldersAndNonMarkdown() throws Exception {
        HarnessCall r = tools.call("search", args("query", "MEETING"));

        assertThat(paths(r.structured().path("notes")))
                .containsExactly("Daily/meeting-2024-01-01.md", "Projects/Meeting Notes.md", "archive/old meeting.md");
        assertThat(r.structured().path("notes").get(1).path("name").asText()).isEqualTo("Meeting Notes");
        assertThat(r.text()).isEqualTo("Daily/meeting-2024-01-01.md\nProjects/Meeting Notes.md\narchive/old meeting.md");
    }

    @Test
    void searchMatchesFolderNamesToo() throws Exception {
        HarnessCall r = tools.call("search", args("query", "projects/"));

        assertThat(paths(r.structured().path("notes"))).containsExactly("Projects/Meeting Notes.md");
    }

    @Test
    void searchRespectsTheLimit() throws Exception {
        HarnessCall r = tools.call("search", args("query", "meeting", "limit", 2));

        assertThat(paths(r.structured().path("notes")))
                .containsExactly("Daily/meeting-2024-01-01.md", "Projects/Meeting Notes.md");
    }

    @Test
    void searchWithoutMatchSaysSoAndReturnsAnEmptyList() throws Exception {
        HarnessCall r = tools.call("search", args("query", "Zebra"));

        assertThat(r.structured().path("notes").isArray()).isTrue();
        assertThat(r.structured().path("notes")).isEmpty();
        assertThat(r.text()).isEqualTo("no note names match 'zebra'");
    }

    @Test
    void searchContentOrdersNotesByMatchCountWithOneBasedLinesAndStrippedSnippets() throws Exception {
        HarnessCall r = tools.call("search_content", args("query", "MEETING"));

        JsonNode matches = r.structured().path("matches");
        assertThat(paths(matches)).containsExactly("Projects/Meeting Notes.md", "Daily/meeting-2024-01-01.md", "Ideas.md");
        assertThat(matches.get(0).path("matches").asInt()).isEqualTo(3);
        assertThat(matches.get(0).path("name").asText()).isEqualTo("Meeting Notes");
        assertThat(matches.get(0).path("snippets").toString()).isEqualTo(
                "[{\"line\":1,\"text\":\"meeting one\"},{\"line\":2,\"text\":\"Meeting two\"},{\"line\":3,\"text\":\"meeting three\"}]");
        assertThat(matches.get(1).path("matches").asInt()).isEqualTo(2);
        assertThat(matches.get(1).path("snippets").get(1).path("line").asInt()).isEqualTo(3);
        assertThat(matches.get(1).path("snippets").get(1).path("text").asText())
                .isEqualTo("we agreed to meet again: MEETING on Friday");
        assertThat(matches.get(2).path("matches").asInt()).isEqualTo(1);
        assertThat(r.text()).startsWith("Projects/Meeting Notes.md (3)\n  1: meeting one\n  2: Meeting two\n  3: meeting three\n"
                + "Daily/meeting-2024-01-01.md (2)\n  1: Meeting with Bob\n");
    }

    @Test
    void searchContentTiesAreOrderedByPathAndTheLimitCutsAfterSorting() throws Exception {
        HarnessCall r = tools.call("search_content", args("query", "meeting", "limit", 2));

        assertThat(paths(r.structured().path("matches"))).containsExactly("Projects/Meeting Notes.md", "Daily/meeting-2024-01-01.md");
    }

    @Test
    void searchContentCountsEveryMatchingLineButKeepsFiveSnippetsAndClipsLongLines() throws Exception {
        String longLine = "needle " + "x".repeat(300);
        writeFile(vault, "many.md", "needle\n".repeat(7) + longLine + "\n");

        HarnessCall r = tools.call("search_content", args("query", "needle"));

        JsonNode m = r.structured().path("matches").get(0);
        assertThat(m.path("matches").asInt()).isEqualTo(8);
        assertThat(m.path("snippets")).hasSize(5);
        assertThat(m.path("snippets").get(4).path("line").asInt()).isEqualTo(5);

        writeFile(vault, "many.md", longLine + "\n");
        String text = tools.call("search_content", args("query", "needle")).structured()
                .path("matches").get(0).path("snippets").get(0).path("text").asText();
        assertThat(text).hasSize(200).endsWith("…").startsWith("needle xxx");
    }

    @Test
    void searchContentWithoutMatchSaysSo() throws Exception {
        HarnessCall r = tools.call("search_content", args("query", "Zebra"));

        assertThat(r.structured().path("matches")).isEmpty();
        assertThat(r.text()).isEqualTo("no note contains 'Zebra'");
    }

    @Test
    void symlinkedNotesAreNeitherListedNorSearched() throws Exception {
        Path outside = writeFile(tmp, "outside/secret.md", "meeting password hunter2\n");
        Files.createSymbolicLink(vault.resolve("leak-meeting.md"), outside);
        Files.createSymbolicLink(vault.resolve("linked-folder"), outside.getParent());

        HarnessCall byName = tools.call("search", args("query", "leak"));
        HarnessCall byContent = tools.call("search_content", args("query", "hunter2"));

        assertThat(byName.structured().path("notes")).isEmpty();
        assertThat(byContent.structured().path("matches")).isEmpty();
        assertThat(tools.call("search", args("query", "secret")).structured().path("notes")).isEmpty();
    }
}

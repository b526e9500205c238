package ai.clawbot.host.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test helper: the sessions of a state folder read straight from disk, without the store, as a crash left them
 * ({@code <state>/agents/<agentId>/sessions/sessions.json} and every {@code *.jsonl}). Problems are collected,
 * not thrown, so one scan reports all of them.
 */
final class SessionFiles {

    // Strict, as the store is: "{...}{..." must not read as its first object.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A user message as written: the entry id, its idempotencyKey and text, and its line number (1 = header). */
    record UserLine(String id, String idempotencyKey, String text, String runId, int lineNo) {
    }

    /**
     * The transcript the index points a session key at; {@code entries} counts every line after the header;
     * {@code replied} holds the run ids of the assistant replies.
     */
    record Transcript(String sessionKey, String sessionId, int entries, List<UserLine> users, Set<String> replied) {
    }

    /**
     * What a scan found: the current transcript of each session key, how many transcripts end in an incomplete
     * line (each a problem too when {@code tornAllowed} was false), transcripts no index row names, and problems.
     */
    record Scan(Map<String, Transcript> sessions, int transcripts, int tornTails, int unindexed, int staleTemps,
                List<String> problems) {
    }

    private SessionFiles() {
    }

    static Scan scan(Path state, boolean tornAllowed) throws IOException {
        Map<String, Transcript> sessions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int transcripts = 0;
        int torn = 0;
        int unindexed = 0;
        int temps = 0;
        Path agents = state.resolve("agents");
        if (!Files.isDirectory(agents)) {
            return new Scan(sessions, 0, 0, 0, 0, problems);
        }
        try (DirectoryStream<Path> agentDirs = Files.newDirectoryStream(agents, Files::isDirectory)) {
            for (Path agentDir : agentDirs) {
                Path dir = agentDir.resolve("sessions");
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                String agentId = agentDir.getFileName().toString();
                Map<String, String> keyOfId = new LinkedHashMap<>();
                Path index = dir.resolve("sessions.json");
                try {
                    JsonNode root = JSON.readTree(Files.readAllBytes(index));
                    root.properties().forEach(e -> keyOfId.put(e.getValue().path("sessionId").asText(), e.getKey()));
                } catch (IOException e) {
                    problems.add(agentId + "/sessions.json does not parse: " + e.getMessage());
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        temps += name.endsWith(".tmp") ? 1 : 0;
                        if (!name.endsWith(".jsonl")) {
                            continue;
                        }
                        transcripts++;
                        String sessionId = name.substring(0, name.length() - ".jsonl".length());
                        String key = keyOfId.get(sessionId);
                        byte[] bytes = Files.readAllBytes(file);
                        boolean tornTail = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
                        torn += tornTail ? 1 : 0;
                        if (tornTail && !tornAllowed) {
                            problems.add(agentId + "/" + name + " ends in an incomplete line");
                        }
                        Transcript t = parse(agentId + "/" + name, key, sessionId, bytes, tornTail, problems);
                        if (key == null) {
                            unindexed++;
                        } else {
                            sessions.put(key, t);
                        }
                    }
                }
                for (var e : keyOfId.entrySet()) {
                    if (!sessions.containsKey(e.getValue())) {
                        problems.add(agentId + "/sessions.json names " + e.getValue() + " -> " + e.getKey()
                                + ".jsonl, which does not exist");
                    }
                }
            }
        }
        return new Scan(sessions, transcripts, torn, unindexed, temps, problems);
    }

    /** Every complete line must parse; a torn last line is skipped here (the caller decided whether it may exist). */
    private static Transcript parse(String name, String key, String sessionId, byte[] bytes, boolean tornTail,
                                    List<String> problems) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int complete = lines.length - 1; // the piece after the last newline is "" or the torn tail
        List<UserLine> users = new ArrayList<>();
        Set<String> replied = new HashSet<>();
        int entries = 0;
        for (int i = 0; i < complete; i++) {
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (IOException e) {
                problems.add(name + " line " + (i + 1) + " does not parse: " + abbreviate(lines[i]));
                continue;
            }
            if (node == null || !node.isObject()) {
                problems.add(name + " line " + (i + 1) + " is not a JSON object: " + abbreviate(lines[i]));
                continue;
            }
            if (i == 0) {
                if (!"session".equals(node.path("type").asText()) || !sessionId.equals(node.path("id").asText())
                        || key != null && !key.equals(node.path("sessionKey").asText())) {
                    problems.add(name + " has a wrong header: " + abbreviate(lines[i]));
                }
                continue;
            }
            entries++;
            if ("message".equals(node.path("type").asText()) && "user".equals(node.path("role").asText())) {
                users.add(new UserLine(node.path("id").asText(), node.path("idempotencyKey").asText(null),
                        node.path("content").path(0).path("text").asText(null), node.path("runId").asText(null), i + 1));
            } else if ("message".equals(node.path("type").asText()) && "assistant".equals(node.path("role").asText())) {
                replied.add(node.path("runId").asText());
            }
        }
        if (complete == 0) {
            problems.add(name + " has no complete header line" + (tornTail ? " (torn)" : ""));
        }
        return new Transcript(key, sessionId, entries, users, replied);
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}

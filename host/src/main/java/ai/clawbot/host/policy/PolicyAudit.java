package ai.clawbot.host.policy;

import ai.clawbot.host.observe.SecretRedactor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Writes an audit line for every policy refusal and every approval decision: to the JUL logger
 * {@value #LOGGER} and appended to {@code <state>/logs/audit.jsonl} (one JSON object per line, mode 0600).
 * Arguments appear only as a summary: values under secret-looking keys masked, known secrets redacted,
 * cut to {@value #MAX_ARGS} chars. Thread-safe; a failed write is logged, never thrown at the caller (the
 * refusal itself must still happen).
 */
public final class PolicyAudit {

    public static final String LOGGER = "ai.clawbot.audit";
    public static final int MAX_ARGS = 200;
    /** Any other text field (names, reasons) is cut here, so one hostile name cannot make a huge line. */
    static final int MAX_FIELD = 500;

    private static final Logger LOG = Logger.getLogger(LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|passphrase|secret|token|api[-_]?key|authorization|credential|private[-_]?key"
                    + "|cookie).*");

    private final Path file;
    private final SecretRedactor redactor;
    private final Clock clock;
    private final Object lock = new Object();

    private PolicyAudit(Path file, SecretRedactor redactor, Clock clock) {
        this.file = file;
        this.redactor = redactor;
        this.clock = clock;
    }

    /** Audits to {@code <stateRoot>/logs/audit.jsonl}; {@code redactor} (may be null) masks known secret values. */
    public static PolicyAudit create(Path stateRoot, SecretRedactor redactor) {
        return create(stateRoot, redactor, Clock.systemUTC());
    }

    public static PolicyAudit create(Path stateRoot, SecretRedactor redactor, Clock clock) {
        Objects.requireNonNull(stateRoot, "stateRoot");
        return new PolicyAudit(stateRoot.resolve("logs").resolve("audit.jsonl"), redactor, clock);
    }

    public Path file() {
        return file;
    }

    /** A policy refusal of {@code skill.tool} as the model asked for it. */
    public void refused(String agentId, String sessionKey, String skill, String tool, Decision.Denied denied,
                        JsonNode args) {
        refused(null, agentId, sessionKey, skill, tool, denied, args);
    }

    /** As above, naming the door the call came in by ({@code agent}, {@code tools.invoke}). */
    public void refused(String door, String agentId, String sessionKey, String skill, String tool,
                        Decision.Denied denied, JsonNode args) {
        record(new AuditEntry(clock.instant(), agentId, sessionKey, skill, tool, "denied", denied.layer(),
                denied.reason(), argsSummary(args), door, denied.rule()));
    }

    /** A call the gate dispatched to the sandbox: how it ended and with which (narrowed) permissions. */
    public void ran(String door, String agentId, String sessionKey, String skill, String tool, String outcome,
                    String permissions, JsonNode args) {
        record(new AuditEntry(clock.instant(), agentId, sessionKey, skill, tool, "ran", AuditEntry.SANDBOX_LAYER,
                outcome + "; " + permissions, argsSummary(args), door, null));
    }

    /** An approval outcome (operator, pre-approval, timeout or overflow). */
    public void approval(Resolved r) {
        ApprovalRequest q = r.request();
        record(new AuditEntry(r.resolvedAt(), q.agentId(), q.sessionKey(), q.skill(), q.tool(), r.decision().wire(),
                AuditEntry.APPROVAL_LAYER, r.decision().describe(), argsSummary(q.args())));
    }

    public void record(AuditEntry e) {
        String line = toJson(e);
        LOG.info(line);
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            try {
                createIfMissing();
                // One write of one whole line in append mode: lines never interleave, even across processes.
                Files.write(file, bytes, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.SEVERE, "could not append to " + file + ": " + ex, ex);
            }
        }
    }

    /** The arguments as an audit line shows them; null for none. */
    public String argsSummary(JsonNode args) {
        if (args == null || args.isMissingNode()) {
            return null;
        }
        String text;
        try {
            text = JSON.writeValueAsString(masked(args.deepCopy()));
        } catch (IOException | RuntimeException e) {
            return "(unprintable arguments)";
        }
        String cut = redactor != null ? redactor.redact(text, MAX_ARGS) : cut(text, MAX_ARGS);
        return text.length() > MAX_ARGS ? cut + "…" : cut;
    }

    private static JsonNode masked(JsonNode n) {
        if (n instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (SECRET_KEY.matcher(key).matches()) {
                    o.put(key, SecretRedactor.MASK);
                } else {
                    masked(o.get(key));
                }
            }
        } else if (n.isArray()) {
            n.forEach(PolicyAudit::masked);
        }
        return n;
    }

    private String toJson(AuditEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ts", e.ts().toString());
        o.put("agentId", field(e.agentId()));
        o.put("sessionKey", field(e.sessionKey()));
        o.put("skill", field(e.skill()));
        o.put("tool", field(e.tool()));
        o.put("decision", field(e.decision()));
        o.put("layer", field(e.layer()));
        o.put("reason", field(e.reason()));
        o.put("args", e.args() == null ? null : cut(e.args(), MAX_ARGS + 1));
        if (e.door() != null) {
            o.put("door", field(e.door()));
        }
        if (e.rule() != null && !e.rule().isEmpty()) {
            o.put("rule", field(e.rule()));
        }
        return o.toString(); // Jackson escapes control characters: one entry is always one line
    }

    private String field(String s) {
        if (s == null) {
            return null;
        }
        return redactor != null ? redactor.redact(s, MAX_FIELD) : cut(s, MAX_FIELD);
    }

    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private void createIfMissing() throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: append to theirs
        }
    }
}

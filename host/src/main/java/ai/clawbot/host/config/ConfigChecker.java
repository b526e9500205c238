package ai.clawbot.host.config;

import ai.clawbot.signing.CheckMemo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a config tree means here and whether the gateway may run it: read through {@link OpenClawDialect}
 * ({@code ${VAR}} references resolved in {@code env}, OpenClaw's api names mapped, unsupported keys set aside as
 * warnings), then checked against the schema ({@link ConfigValidator}) and, for a write, against the rules the
 * schema cannot know ({@link #checkWritesWith}). Thread-safe.
 */
final class ConfigChecker {

    /** A file's tree and what it means here. */
    record Parsed(ObjectNode raw, OpenClawDialect.Normalized normalized) {
    }

    private final Path file;
    private final Function<String, String> env;
    private final CheckMemo passed;
    private volatile Function<JsonNode, List<ConfigProblem>> extraRules = c -> List.of();

    /**
     * A checker for {@code file}'s writes, looking {@code ${VAR}} references up in {@code env} (null: unset), and
     * not validating again a config that passed before ({@code passed}).
     */
    ConfigChecker(Path file, Function<String, String> env, CheckMemo passed) {
        this.file = file;
        this.env = Objects.requireNonNull(env, "env");
        this.passed = passed;
    }

    /** See {@link ConfigStore#checkWritesWith}. */
    void checkWritesWith(Function<JsonNode, List<ConfigProblem>> rules) {
        this.extraRules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * {@code bytes} (read from {@code source}) parsed, normalized and valid against the schema.
     *
     * @throws ConfigException naming {@code source} and each problem's JSON path
     */
    Parsed parseValid(Path source, byte[] bytes) throws ConfigException {
        ObjectNode raw = ConfigJson.parse(source, bytes);
        OpenClawDialect.Normalized normalized = OpenClawDialect.normalize(raw, env);
        List<ConfigProblem> problems = problemsOf(normalized);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new Parsed(raw, normalized);
    }

    /**
     * Puts secrets back into {@code next} and checks it for a write. {@code sent} is what the client sent (null for
     * the gateway's own writes): {@link ConfigStore#REDACTED} values in it are kept from {@code base}, under
     * {@link Redaction}'s rules.
     *
     * @throws ConfigException for a redacted value with nothing to keep, the schema, or an extra rule
     */
    OpenClawDialect.Normalized checkWrite(ObjectNode base, ObjectNode next, JsonNode sent) throws ConfigException {
        List<ConfigProblem> problems = sent == null ? List.of() : Redaction.restore(next, base, sent);
        OpenClawDialect.Normalized normalized = null;
        if (problems.isEmpty()) {
            normalized = OpenClawDialect.normalize(next, env);
            problems = problemsOf(normalized);
        }
        if (problems.isEmpty()) {
            problems = extraRules.apply(normalized.config());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(file, problems, ConfigStore.UNCHANGED);
        }
        return normalized;
    }

    /**
     * The dialect's errors, then the validator's. A config that passed before under this build (the same bytes after
     * normalizing) is not checked again: a warm start then compiles no schema.
     */
    private List<ConfigProblem> problemsOf(OpenClawDialect.Normalized normalized) {
        List<ConfigProblem> problems = new ArrayList<>(normalized.errors());
        if (!problems.isEmpty()) {
            return problems;
        }
        byte[] canonical;
        try {
            canonical = ConfigJson.MAPPER.writeValueAsBytes(normalized.config());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a config tree that cannot be written", e);
        }
        if (passed.passed(CHECK, canonical)) {
            return problems;
        }
        problems.addAll(ConfigValidator.create().validate(normalized.config()));
        if (problems.isEmpty()) {
            passed.record(CHECK, canonical);
        }
        return problems;
    }

    /** The name {@link PassedChecks} files a valid config under. */
    static final String CHECK = "config";
}

package ai.clawbot.host.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used: unreadable, not JSON, not valid against {@code openclaw.schema.json}, or
 * refused by a rule the schema cannot state. The message names the file and every problem with its JSON path
 * (and line and column for a syntax error), so it can be shown to the operator as it is.
 */
public final class ConfigException extends Exception {

    private final transient Path file;
    private final List<ConfigProblem> problems;

    public ConfigException(Path file, List<ConfigProblem> problems) {
        this(file, problems, null);
    }

    /** {@code context} says what was being done (e.g. "no usable last-known-good copy"); may be null. */
    public ConfigException(Path file, List<ConfigProblem> problems, String context) {
        super(describe(file, problems, context));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    static ConfigException of(Path file, String path, String message) {
        return new ConfigException(file, List.of(new ConfigProblem(path, message)));
    }

    /** The file the problems are about. */
    public Path file() {
        return file;
    }

    /** Every problem found, in document order where the validator reports it so; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(Path file, List<ConfigProblem> problems, String context) {
        String what = problems.size() == 1 ? problems.get(0).toString()
                : problems.size() + " problems: " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
        return file + ": " + what + (context == null ? "" : " (" + context + ")");
    }
}

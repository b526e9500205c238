package ai.clawbot.host.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration.
 *
 * @param path    where, as a JSON path ({@code $.gateway.port}, {@code $.agents.list[1].id}); {@code $} for the
 *                whole document
 * @param message what is wrong there; never the offending value, which may be a secret
 */
public record ConfigProblem(String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}

package ai.clawbot.host.models;

/**
 * A model reference or a {@code models} config section that cannot be used. {@link #path()} says where (e.g.
 * {@code models.routing.coder}, or {@code agent model} for a reference given at call time), so the message can be
 * shown to the operator as it is.
 */
public final class ModelConfigException extends IllegalArgumentException {

    private final String path;

    public ModelConfigException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    /** Where the bad value was found. */
    public String path() {
        return path;
    }
}

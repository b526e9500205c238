package ai.clawbot.host.models;

import java.util.Locale;
import java.util.Optional;

/** The roles {@code models.routing} can name a model for. {@link #PLANNER} is the default role. */
public enum ModelRole {
    PLANNER, CODER, FAST, VISION;

    /** The key in {@code models.routing}. */
    public String configKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role for a routing key ({@code "coder"}), empty when the key is not a role. */
    public static Optional<ModelRole> fromConfigKey(String key) {
        for (ModelRole role : values()) {
            if (role.configKey().equals(key)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

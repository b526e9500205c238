package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a tool does to the world, from least to most sensitive. */
public enum Effect {
    READ, WRITE, EXTERNAL, SECRET;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

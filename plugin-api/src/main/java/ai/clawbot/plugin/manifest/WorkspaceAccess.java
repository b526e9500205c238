package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the agent workspace is mounted into the sandbox. */
public enum WorkspaceAccess {
    NONE, RO, RW;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package ai.clawbot.host.gateway;

import java.util.List;

/** The events this gateway emits, as {@code hello-ok.features.events} lists them. */
public final class Events {

    public static final String CHALLENGE = "connect.challenge";
    public static final String TICK = "tick";
    public static final String SHUTDOWN = "shutdown";
    public static final String CHAT = "chat";
    public static final String AGENT = "agent";
    public static final String SESSIONS_CHANGED = "sessions.changed";
    public static final String CONFIG_CHANGED = "config.changed";
    public static final String PLUGINS_CHANGED = "plugins.changed";

    static final List<String> ALL = List.of(CHALLENGE, TICK, SHUTDOWN, CHAT, AGENT, SESSIONS_CHANGED, CONFIG_CHANGED,
            PLUGINS_CHANGED);

    private Events() {
    }
}

package ai.clawbot.plugin.api;

import java.util.Map;

/**
 * What a skill author implements: the handlers for the tools its manifest declares, by tool name.
 * <p>
 * A skill jar registers its implementation in {@code META-INF/services/ai.clawbot.plugin.api.Skill}.
 * The code runs only inside the skill's sandbox container, started by the host's tool server runtime;
 * the host never instantiates it.
 */
public interface Skill {

    /** Handlers keyed by tool name; every tool of the manifest must have one. */
    Map<String, ToolHandler> tools();
}

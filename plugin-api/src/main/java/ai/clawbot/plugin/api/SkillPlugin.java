package ai.clawbot.plugin.api;

import org.pf4j.Plugin;

/**
 * The PF4J plugin class every skill jar names ({@code Plugin-Class}). It lives in the API, not in the
 * skill jar, so loading a skill in the host never instantiates the skill's own code: the host only reads
 * the signed manifest; tools run in a container.
 */
public final class SkillPlugin extends Plugin {
}

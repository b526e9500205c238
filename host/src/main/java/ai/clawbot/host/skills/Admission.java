package ai.clawbot.host.skills;

/** Whether a plugin file may be loaded: admitted (verified, staged) or refused with the reason. */
sealed interface Admission {

    record Admitted(LoadedSkill skill) implements Admission {
    }

    record Refused(RefusedPlugin plugin) implements Admission {
    }
}

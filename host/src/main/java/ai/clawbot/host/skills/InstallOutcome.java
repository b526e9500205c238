package ai.clawbot.host.skills;

/** What an install did: installed (maybe replacing an older version), already there, or refused. */
public sealed interface InstallOutcome {

    record Installed(PluginPreview plugin, String replacedVersion) implements InstallOutcome {
    }

    record AlreadyInstalled(PluginPreview plugin) implements InstallOutcome {
    }

    record Refused(String source, String reason, String message) implements InstallOutcome {
    }
}

package ai.clawbot.plugin.audio;

/**
 * Why a container's duration could not be measured: {@code BAD_AUDIO} when its headers are broken or contradict the
 * file, {@code UNMEASURABLE_AUDIO} when they are well formed but do not state a length. Turned into a typed
 * {@link ai.clawbot.plugin.api.ToolException} naming the file by {@link AudioFile#open}.
 */
final class DurationException extends Exception {

    private final String code;

    private DurationException(String code, String why) {
        super(why, null, false, false);
        this.code = code;
    }

    static DurationException bad(String why) {
        return new DurationException("BAD_AUDIO", why);
    }

    static DurationException unmeasurable(String why) {
        return new DurationException("UNMEASURABLE_AUDIO", why);
    }

    String code() {
        return code;
    }
}

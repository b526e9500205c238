package ai.clawbot.plugin.audio;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.fs.ConfinedRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * An audio file a speech skill was asked to read, checked before a byte of it is decoded or uploaded: confined to its
 * root (the SDK's {@link ConfinedRoot}: {@code ..}, absolute paths and symlinks out refused), a regular file, not
 * empty, at most {@code maxBytes}, and of a container the skill knows by its first bytes (never by its name). For WAV
 * the header is parsed and must agree with the file (a header that claims more audio than the file holds is refused).
 * Every container's duration is measured from its headers or structure, without decoding, so an over-long recording
 * is refused with its length before any work, and one whose length cannot be measured is refused too.
 *
 * @param path    the real path, inside the root
 * @param size    its length in bytes
 * @param kind    the container, by its magic bytes
 * @param seconds the duration its container states, measured without decoding
 */
public record AudioFile(Path path, long size, Kind kind, double seconds) {

    /** The limit of OpenAI's audio API, also the local skill's: checked before any upload or decode. */
    public static final long MAX_BYTES = 25L * 1024 * 1024;

    /** The containers the skills accept. */
    public enum Kind {
        WAV("wav", "audio/wav"), FLAC("flac", "audio/flac"), OGG("ogg", "audio/ogg"), MP3("mp3", "audio/mpeg"),
        WEBM("webm", "audio/webm"), MP4("mp4", "audio/mp4");

        private final String type;
        private final String mime;

        Kind(String type, String mime) {
            this.type = type;
            this.mime = mime;
        }

        /** sox's {@code -t} name, and the file extension an upload carries. */
        public String type() {
            return type;
        }

        public String mime() {
            return mime;
        }
    }

    /** Opens {@code relative} under {@code root} with the checks above; each refusal is a typed {@link ToolException}. */
    public static AudioFile open(ConfinedRoot root, String relative, long maxBytes) throws ToolException {
        return open(root, relative, maxBytes, java.util.EnumSet.allOf(Kind.class));
    }

    /** As {@link #open(ConfinedRoot, String, long)}, refusing ({@code UNSUPPORTED_AUDIO}) a kind not in {@code accepted}
     * before its structure is read. */
    public static AudioFile open(ConfinedRoot root, String relative, long maxBytes, java.util.Set<Kind> accepted)
            throws ToolException {
        Path p = root.existing(relative);
        if (!Files.isRegularFile(p)) {
            throw new ToolException("NOT_A_FILE", "'" + relative + "' is not a file");
        }
        long size;
        byte[] head;
        try {
            size = Files.size(p);
            if (size == 0) {
                throw new ToolException("EMPTY_AUDIO", "'" + relative + "' is empty (0 bytes): there is nothing to transcribe");
            }
            if (size > maxBytes) {
                throw new ToolException("FILE_TOO_LARGE", "'" + relative + "' is " + size + " bytes; the limit is "
                        + maxBytes + " bytes (" + maxBytes / (1024 * 1024) + " MB)");
            }
            try (InputStream in = Files.newInputStream(p)) {
                head = in.readNBytes(65536);
            }
        } catch (IOException e) {
            throw new ToolException("UNREADABLE", "cannot read '" + relative + "': " + e.getClass().getSimpleName());
        }
        Kind kind = sniff(head).orElseThrow(() -> new ToolException("UNSUPPORTED_AUDIO", "'" + relative
                + "' is not WAV, FLAC, OGG, MP3, WebM or MP4 audio (judged by its first bytes, not its name)"));
        if (!accepted.contains(kind)) {
            throw new ToolException("UNSUPPORTED_AUDIO", "'" + relative + "' is " + kind.name() + "; this skill reads "
                    + accepted.stream().map(Kind::name).collect(java.util.stream.Collectors.joining(", ")));
        }
        double seconds = measure(p, kind, head, size, relative);
        return new AudioFile(p, size, kind, seconds);
    }

    /**
     * The duration the container states: WAV and FLAC from the header already read, the others by walking their
     * structure (Ogg's last page, MP3 frames or their Xing/VBRI count, MP4's {@code mvhd}, Matroska's Info or
     * clusters). A file with no measurable duration is refused, never passed on unmeasured.
     */
    private static double measure(Path p, Kind kind, byte[] head, long size, String relative) throws ToolException {
        if (kind == Kind.WAV) {
            return wavSeconds(head, size, relative);
        }
        try {
            if (kind == Kind.FLAC) {
                return flacSeconds(head).orElseThrow(() -> DurationException.unmeasurable(
                        "its STREAMINFO does not state the number of samples"));
            }
            try (ByteSource in = ByteSource.open(p)) {
                double seconds = switch (kind) {
                    case OGG -> OggDuration.seconds(in);
                    case MP3 -> Mp3Duration.seconds(in);
                    case MP4 -> Mp4Duration.seconds(in);
                    case WEBM -> MatroskaDuration.seconds(in);
                    default -> throw new IllegalStateException(kind.name());
                };
                if (!(seconds > 0) || Double.isInfinite(seconds)) {
                    throw DurationException.bad("it holds no audio (a duration of " + seconds + " s)");
                }
                return seconds;
            }
        } catch (DurationException e) {
            throw new ToolException(e.code(), "'" + relative + "' is not a " + kind.name() + " file whose length can "
                    + "be measured: " + e.getMessage());
        } catch (IOException e) {
            throw new ToolException("UNREADABLE", "cannot read '" + relative + "': " + e.getClass().getSimpleName());
        }
    }

    /** Refuses this recording when it is longer than {@code maxSeconds}, naming its measured length. */
    public void requireAtMost(int maxSeconds, String relative) throws ToolException {
        requireAtMost(seconds, maxSeconds, relative);
    }

    /** Refuses a recording longer than {@code maxSeconds}, naming its measured length. */
    private static void requireAtMost(double seconds, int maxSeconds, String relative) throws ToolException {
        if (seconds > maxSeconds) {
            throw new ToolException("AUDIO_TOO_LONG", String.format(Locale.ROOT,
                    "'%s' is %.1f s long; the limit is %d s (setting max_seconds)", relative, seconds, maxSeconds));
        }
    }

    static java.util.Optional<Kind> sniff(byte[] h) {
        if (starts(h, 0, "RIFF") && starts(h, 8, "WAVE")) {
            return java.util.Optional.of(Kind.WAV);
        }
        if (starts(h, 0, "fLaC")) {
            return java.util.Optional.of(Kind.FLAC);
        }
        if (starts(h, 0, "OggS")) {
            return java.util.Optional.of(Kind.OGG);
        }
        if (starts(h, 0, "ID3") || (h.length > 1 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0)) {
            return java.util.Optional.of(Kind.MP3);
        }
        if (h.length >= 4 && (h[0] & 0xFF) == 0x1A && (h[1] & 0xFF) == 0x45 && (h[2] & 0xFF) == 0xDF && (h[3] & 0xFF) == 0xA3) {
            return java.util.Optional.of(Kind.WEBM);
        }
        if (starts(h, 4, "ftyp")) {
            return java.util.Optional.of(Kind.MP4);
        }
        return java.util.Optional.empty();
    }

    /**
     * The duration a WAV header states, after checking it: PCM or IEEE float (or extensible), 1 to 8 channels, a rate
     * of 1 kHz to 384 kHz, 8 to 32 bits, and a data chunk the file really holds.
     */
    static double wavSeconds(byte[] h, long fileSize, String relative) throws ToolException {
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int blockAlign = 0;
        int bits = 0;
        while (pos + 8 <= h.length) {
            String id = new String(h, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long len = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (id.equals("fmt ")) {
                if (len < 16 || pos + 24 > h.length) {
                    throw badWav(relative, "its fmt chunk is too short");
                }
                int format = Short.toUnsignedInt(b.getShort(pos + 8));
                channels = Short.toUnsignedInt(b.getShort(pos + 10));
                rate = b.getInt(pos + 12);
                blockAlign = Short.toUnsignedInt(b.getShort(pos + 20));
                bits = Short.toUnsignedInt(b.getShort(pos + 22));
                if (format != 1 && format != 3 && format != 0xFFFE) {
                    throw badWav(relative, "its sample format " + format + " is not PCM or float");
                }
                if (channels < 1 || channels > 8 || rate < 1000 || rate > 384_000 || bits < 8 || bits > 32
                        || blockAlign != channels * ((bits + 7) / 8)) {
                    throw badWav(relative, "its header is inconsistent (" + channels + " channels, " + rate + " Hz, "
                            + bits + " bits, block " + blockAlign + ")");
                }
            } else if (id.equals("data")) {
                if (rate == 0) {
                    throw badWav(relative, "its data comes before its fmt chunk");
                }
                long available = fileSize - (pos + 8);
                if (len > available) {
                    throw badWav(relative, "its header says " + len + " bytes of audio but the file holds " + available);
                }
                return (double) len / ((long) rate * blockAlign);
            }
            pos += 8 + (int) Math.min(len + (len & 1), Integer.MAX_VALUE - pos - 8L);
        }
        throw badWav(relative, "it is truncated: no " + (rate == 0 ? "fmt" : "data") + " chunk in its header");
    }

    /** FLAC's STREAMINFO: total samples over the sample rate; empty when the stream does not say. */
    static OptionalDouble flacSeconds(byte[] h) {
        if (h.length < 4 + 4 + 18) {
            return OptionalDouble.empty();
        }
        int i = 8 + 10; // after "fLaC", the block header and min/max block and frame sizes
        long bits = 0;
        for (int k = 0; k < 8; k++) {
            bits = (bits << 8) | (h[i + k] & 0xFF);
        }
        long rate = bits >>> 44;
        long samples = bits & 0xF_FFFF_FFFFL;
        return rate == 0 || samples == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) samples / rate);
    }

    private static ToolException badWav(String relative, String why) {
        return new ToolException("BAD_AUDIO", "'" + relative + "' is not a usable WAV file: " + why);
    }

    private static boolean starts(byte[] h, int at, String magic) {
        if (h.length < at + magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (h[at + i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

package ai.clawbot.plugin.audio;

import java.io.IOException;

/**
 * An MP4/M4A (ISO base media) file's length: {@code moov/mvhd}'s duration over its timescale, with each box's size
 * checked against its parent, so a truncated or lying {@code moov} is refused instead of read past. A fragmented file
 * whose {@code mvhd} says 0 is measured by {@code moov/mvex/mehd} when present.
 */
final class Mp4Duration {

    private Mp4Duration() {
    }

    static double seconds(ByteSource in) throws IOException, DurationException {
        Box moov = child(in, 0, in.size(), "moov", "the file");
        Box mvhd = child(in, moov.bodyStart(), moov.end(), "mvhd", "moov");
        int version = in.u8(mvhd.bodyStart());
        long p = mvhd.bodyStart() + 4 + (version == 1 ? 16 : 8);
        long need = version == 1 ? 12 : 8;
        if (version > 1 || p + need > mvhd.end()) {
            throw DurationException.bad("its mvhd box is truncated or of unknown version " + version);
        }
        long timescale = in.be(p, 4);
        long duration = version == 1 ? in.be(p + 4, 8) : in.be(p + 4, 4);
        if (timescale == 0) {
            throw DurationException.bad("its mvhd timescale is 0");
        }
        if (duration == 0 || duration == 0xFFFF_FFFFL || duration == -1) {
            duration = fragmentDuration(in, moov);
        }
        if (duration <= 0) {
            throw DurationException.bad("its mvhd states a duration of " + duration);
        }
        return (double) duration / timescale;
    }

    private static long fragmentDuration(ByteSource in, Box moov) throws IOException, DurationException {
        Box mehd;
        try {
            Box mvex = child(in, moov.bodyStart(), moov.end(), "mvex", "moov");
            mehd = child(in, mvex.bodyStart(), mvex.end(), "mehd", "mvex");
        } catch (DurationException e) {
            throw DurationException.unmeasurable("its movie header states no duration (a fragmented MP4 without mehd)");
        }
        int version = in.u8(mehd.bodyStart());
        int n = version == 1 ? 8 : 4;
        if (mehd.bodyStart() + 4 + n > mehd.end()) {
            throw DurationException.bad("its mehd box is truncated");
        }
        return in.be(mehd.bodyStart() + 4, n);
    }

    /** The first box of {@code type} among the boxes from {@code from} to {@code end}. */
    private static Box child(ByteSource in, long from, long end, String type, String parent)
            throws IOException, DurationException {
        long pos = from;
        while (pos + 8 <= end) {
            long size = in.be(pos, 4);
            long header = 8;
            if (size == 1) {
                size = in.be(pos + 8, 8);
                header = 16;
            } else if (size == 0) {
                size = end - pos; // to the end of the file
            }
            if (size < header || pos + size > end || size < 0) {
                throw DurationException.bad("its " + new String(in.read(pos + 4, 4), java.nio.charset.StandardCharsets
                        .ISO_8859_1).replaceAll("[^ -~]", "?") + " box in " + parent + " claims " + size + " bytes; only " + (end - pos) + " remain");
            }
            if (in.ascii(pos + 4, type)) {
                return new Box(pos + header, pos + size);
            }
            pos += size;
        }
        throw DurationException.bad("it has no " + type + " box in " + parent + " (truncated?)");
    }

    private record Box(long bodyStart, long end) {
    }
}

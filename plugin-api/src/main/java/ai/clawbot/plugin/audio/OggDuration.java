package ai.clawbot.plugin.audio;

import java.io.IOException;

/**
 * An Ogg Vorbis or Ogg Opus file's length: the sample rate from the first packet (the Vorbis identification header,
 * or {@code OpusHead}, whose granules always count 48 kHz samples and start after its pre-skip) and the granule
 * position of the last complete page of the same logical stream. A page counts only if it is structurally whole (its
 * lacing table and body fit in the file), so a capture pattern inside compressed data or a truncated tail is passed
 * over rather than believed.
 */
final class OggDuration {

    private static final int HEADER = 27;
    private static final int MAX_PAGE = HEADER + 255 + 255 * 255;
    /** How far back from the end a last page is looked for: bounds the work a file of junk can cause. */
    private static final long TAIL = 1024 * 1024;

    private OggDuration() {
    }

    static double seconds(ByteSource in) throws IOException, DurationException {
        Page first = page(in, 0).orElseThrow(() -> DurationException.bad("its first Ogg page is truncated"));
        long body = first.bodyStart();
        long rate;
        long preSkip = 0;
        if (in.u8(body) == 1 && in.ascii(body + 1, "vorbis")) {
            rate = in.le(body + 12, 4);
        } else if (in.ascii(body, "OpusHead")) {
            preSkip = in.le(body + 10, 2);
            rate = 48_000;
        } else {
            throw DurationException.unmeasurable("its Ogg stream is neither Vorbis nor Opus");
        }
        if (rate < 1000 || rate > 384_000) {
            throw DurationException.bad("its stream header states a sample rate of " + rate + " Hz");
        }
        long granule = lastGranule(in, first.serial());
        if (granule <= preSkip) {
            throw DurationException.bad("it holds no audio pages (last granule position " + granule + ")");
        }
        return (double) (granule - preSkip) / rate;
    }

    /** Searches back from the end, one window of the largest possible page at a time, for a whole page with a granule. */
    private static long lastGranule(ByteSource in, long serial) throws IOException, DurationException {
        long end = in.size();
        for (long at = end - HEADER; at >= Math.max(0, end - TAIL); at--) {
            if (in.u8(at) != 'O' || !in.ascii(at, "OggS")) {
                continue;
            }
            java.util.Optional<Page> p = page(in, at);
            if (p.isEmpty() || p.get().serial() != serial) {
                continue;
            }
            long granule = p.get().granule();
            if (granule == -1) {
                continue; // no packet ends on this page
            }
            if (granule < 0) {
                throw DurationException.bad("its last page has a negative granule position");
            }
            return granule;
        }
        throw DurationException.bad("no complete Ogg page in its last MiB states a granule position");
    }

    private static java.util.Optional<Page> page(ByteSource in, long at) throws IOException {
        if (!in.ascii(at, "OggS") || in.u8(at + 4) != 0) {
            return java.util.Optional.empty();
        }
        int segments = in.u8(at + 26);
        if (segments < 0) {
            return java.util.Optional.empty();
        }
        long bodyLength = 0;
        for (int i = 0; i < segments; i++) {
            int lace = in.u8(at + HEADER + i);
            if (lace < 0) {
                return java.util.Optional.empty();
            }
            bodyLength += lace;
        }
        long bodyStart = at + HEADER + segments;
        if (bodyStart + bodyLength > in.size() || HEADER + segments + bodyLength > MAX_PAGE) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Page(in.le(at + 6, 8), in.le(at + 14, 4), bodyStart));
    }

    private record Page(long granule, long serial, long bodyStart) {
    }
}

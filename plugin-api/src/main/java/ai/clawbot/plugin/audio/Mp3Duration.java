package ai.clawbot.plugin.audio;

import java.io.IOException;

/**
 * An MPEG audio (layer I–III) file's length: after any ID3v2 tags, the first frame whose successor is where its
 * length says; then the frame count of a Xing/Info or VBRI header in that frame when there is one, else every frame
 * header walked to the end with its samples summed; junk or tags between frames are skipped to the next pair of
 * frames of the same stream, as decoders resynchronise, so junk cannot hide the audio behind it.
 */
final class Mp3Duration {

    private static final int[][] BITRATES = {
            // MPEG-1 layer I, II, III
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
            // MPEG-2/2.5 layer I, then II and III
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
    private static final int[] RATES = {44_100, 48_000, 32_000};
    /** How far past the tags the first frame is looked for. */
    private static final int SYNC_SEARCH = 64 * 1024;

    private Mp3Duration() {
    }

    static double seconds(ByteSource in) throws IOException, DurationException {
        long pos = skipId3v2(in);
        long limit = Math.min(in.size(), pos + SYNC_SEARCH);
        Frame first = null;
        for (; pos + 4 <= limit; pos++) {
            Frame f = frame(in, pos);
            if (f != null) {
                Frame next = frame(in, pos + f.length());
                if ((next != null && next.sameStream(f)) || pos + f.length() >= in.size()) {
                    first = f;
                    break;
                }
            }
        }
        if (first == null) {
            throw DurationException.bad("no MPEG audio frame in its first " + SYNC_SEARCH / 1024 + " KiB");
        }
        long frames = vbrFrames(in, pos, first);
        if (frames >= 0) {
            if (frames == 0) {
                throw DurationException.bad("its Xing/VBRI header counts 0 frames");
            }
            return (double) frames * first.samples() / first.rate();
        }
        long samples = 0;
        while (pos < in.size()) {
            Frame f = frame(in, pos);
            if (f != null && f.sameStream(first) && pos + f.length() <= in.size()) {
                samples += f.samples();
                pos += f.length();
            } else {
                pos = resync(in, pos + 1, first); // junk or a tag between frames: decoders skip it, so do we
            }
        }
        return (double) samples / first.rate();
    }

    /** The next position from {@code pos} where two frames of this stream follow each other, or the end. */
    private static long resync(ByteSource in, long pos, Frame stream) throws IOException {
        for (; pos + 4 <= in.size(); pos++) {
            if (in.u8(pos) != 0xFF) {
                continue;
            }
            Frame f = frame(in, pos);
            if (f != null && f.sameStream(stream)) {
                Frame next = frame(in, pos + f.length());
                if (next != null && next.sameStream(stream)) {
                    return pos;
                }
            }
        }
        return in.size();
    }

    private static long skipId3v2(ByteSource in) throws IOException {
        long pos = 0;
        while (in.ascii(pos, "ID3") && in.size() >= pos + 10) {
            long size = 0;
            for (int i = 0; i < 4; i++) {
                size = (size << 7) | (in.u8(pos + 6 + i) & 0x7F); // syncsafe
            }
            boolean footer = (in.u8(pos + 5) & 0x10) != 0;
            pos += 10 + size + (footer ? 10 : 0);
        }
        return pos;
    }

    /** The frame count a Xing/Info or VBRI header states, or -1 when this frame carries neither. */
    private static long vbrFrames(ByteSource in, long pos, Frame f) throws IOException {
        int side = f.mpeg1() ? (f.mono() ? 17 : 32) : (f.mono() ? 9 : 17);
        long xing = pos + 4 + side;
        if (f.layer() == 3 && (in.ascii(xing, "Xing") || in.ascii(xing, "Info"))) {
            long flags = in.be(xing + 4, 4);
            return (flags & 1) != 0 ? in.be(xing + 8, 4) : -1;
        }
        if (in.ascii(pos + 36, "VBRI")) {
            return in.be(pos + 36 + 14, 4);
        }
        return -1;
    }

    /** The frame header at {@code pos}, or null when there is none (free-format bitrates are not walked). */
    private static Frame frame(ByteSource in, long pos) throws IOException {
        long h = in.be(pos, 4);
        if (h < 0 || (h & 0xFFE00000L) != 0xFFE00000L) {
            return null;
        }
        int version = (int) (h >>> 19) & 3; // 0: 2.5, 2: 2, 3: 1
        int layerBits = (int) (h >>> 17) & 3;
        int bitrateIndex = (int) (h >>> 12) & 15;
        int rateIndex = (int) (h >>> 10) & 3;
        if (version == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null;
        }
        int layer = 4 - layerBits;
        boolean mpeg1 = version == 3;
        int rate = RATES[rateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
        int kbps = BITRATES[mpeg1 ? layer - 1 : (layer == 1 ? 3 : 4)][bitrateIndex];
        int padding = (int) (h >>> 9) & 1;
        int samples = layer == 1 ? 384 : (layer == 3 && !mpeg1) ? 576 : 1152;
        int length = layer == 1 ? (12 * kbps * 1000 / rate + padding) * 4 : samples / 8 * kbps * 1000 / rate + padding;
        boolean mono = ((h >>> 6) & 3) == 3;
        return new Frame(version, layer, rate, samples, length, mono);
    }

    private record Frame(int version, int layer, int rate, int samples, int length, boolean mono) {
        boolean mpeg1() {
            return version == 3;
        }

        boolean sameStream(Frame o) {
            return version == o.version && layer == o.layer && rate == o.rate;
        }
    }
}

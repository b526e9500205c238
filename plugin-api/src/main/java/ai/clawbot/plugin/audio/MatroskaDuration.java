package ai.clawbot.plugin.audio;

import java.io.IOException;
import java.util.Set;

/**
 * A WebM/Matroska file's length: {@code Segment/Info/Duration} × {@code TimecodeScale}. Browser recordings
 * (MediaRecorder) leave Duration out and write clusters of unknown size, so without it the clusters are walked and
 * the latest block timestamp is the length. Every element's size is checked against its parent.
 */
final class MatroskaDuration {

    private static final long EBML = 0x1A45DFA3L;
    private static final long SEGMENT = 0x18538067L;
    private static final long INFO = 0x1549A966L;
    private static final long TIMECODE_SCALE = 0x2AD7B1L;
    private static final long DURATION = 0x4489L;
    private static final long CLUSTER = 0x1F43B675L;
    private static final long TIMECODE = 0xE7L;
    private static final long SIMPLE_BLOCK = 0xA3L;
    private static final long BLOCK_GROUP = 0xA0L;
    private static final long BLOCK = 0xA1L;
    /** Segment-level IDs: one of them ends a cluster of unknown size. */
    private static final Set<Long> TOP_LEVEL = Set.of(CLUSTER, INFO, 0x1C53BB6BL, 0x1254C367L, 0x1043A770L,
            0x1941A469L, 0x114D9B74L, 0x1654AE6BL);

    private MatroskaDuration() {
    }

    static double seconds(ByteSource in) throws IOException, DurationException {
        Element ebml = element(in, 0, in.size());
        if (ebml.id() != EBML || ebml.unknownSize()) {
            throw DurationException.bad("its EBML header is malformed");
        }
        Element segment = element(in, ebml.end(), in.size());
        if (segment.id() != SEGMENT) {
            throw DurationException.bad("no Segment follows its EBML header");
        }
        long scale = 1_000_000;
        double duration = -1;
        long lastBlock = -1;
        long pos = segment.bodyStart();
        long end = segment.end();
        while (pos < end) {
            Element e = element(in, pos, end);
            if (e.id() == INFO) {
                for (long p = e.bodyStart(); p < e.end(); ) {
                    Element c = element(in, p, e.end());
                    if (c.id() == TIMECODE_SCALE) {
                        scale = uint(in, c);
                    } else if (c.id() == DURATION) {
                        duration = c.length() == 4 ? Float.intBitsToFloat((int) in.be(c.bodyStart(), 4))
                                : c.length() == 8 ? Double.longBitsToDouble(in.be(c.bodyStart(), 8)) : Double.NaN;
                    }
                    p = c.end();
                }
                if (scale <= 0) {
                    throw DurationException.bad("its TimecodeScale is " + scale);
                }
                if (duration >= 0 || Double.isNaN(duration)) {
                    if (!(duration > 0) || Double.isInfinite(duration)) {
                        throw DurationException.bad("its Info states a duration of " + duration);
                    }
                    return duration * scale / 1e9;
                }
            } else if (e.id() == CLUSTER) {
                long[] clusterEnd = new long[1];
                lastBlock = Math.max(lastBlock, lastBlockTime(in, e, end, clusterEnd));
                pos = clusterEnd[0];
                continue;
            } else if (e.unknownSize()) {
                throw DurationException.bad("an element of unknown size in its Segment is not a Cluster");
            }
            pos = e.end();
        }
        if (lastBlock < 0) {
            throw DurationException.unmeasurable("it states no Duration and holds no audio blocks");
        }
        return (double) lastBlock * scale / 1e9;
    }

    /** The latest block timestamp in this cluster, in timecode units; {@code endOut[0]} is where the cluster ends. */
    private static long lastBlockTime(ByteSource in, Element cluster, long segmentEnd, long[] endOut)
            throws IOException, DurationException {
        long end = cluster.unknownSize() ? segmentEnd : cluster.end();
        long base = 0;
        long latest = -1;
        long p = cluster.bodyStart();
        while (p < end) {
            Element c = element(in, p, end);
            if (cluster.unknownSize() && TOP_LEVEL.contains(c.id())) {
                break;
            }
            if (c.unknownSize()) {
                throw DurationException.bad("an element of unknown size inside a Cluster");
            }
            if (c.id() == TIMECODE) {
                base = uint(in, c);
            } else if (c.id() == SIMPLE_BLOCK) {
                latest = Math.max(latest, base + blockOffset(in, c));
            } else if (c.id() == BLOCK_GROUP) {
                for (long q = c.bodyStart(); q < c.end(); ) {
                    Element b = element(in, q, c.end());
                    if (b.id() == BLOCK) {
                        latest = Math.max(latest, base + blockOffset(in, b));
                    }
                    q = b.end();
                }
            }
            p = c.end();
        }
        endOut[0] = p;
        return latest;
    }

    /** A block's signed 16-bit timestamp, after its track number. */
    private static long blockOffset(ByteSource in, Element block) throws IOException, DurationException {
        int first = in.u8(block.bodyStart());
        int trackLength = first <= 0 ? 9 : Integer.numberOfLeadingZeros(first) - 23;
        if (trackLength > 8 || block.bodyStart() + trackLength + 2 > block.end()) {
            throw DurationException.bad("a block is truncated");
        }
        return (short) in.be(block.bodyStart() + trackLength, 2);
    }

    private static long uint(ByteSource in, Element e) throws IOException, DurationException {
        if (e.length() > 8) {
            throw DurationException.bad("an integer element is " + e.length() + " bytes long");
        }
        return e.length() == 0 ? 0 : in.be(e.bodyStart(), (int) e.length());
    }

    /** The element at {@code pos}, its size checked against {@code parentEnd}. */
    private static Element element(ByteSource in, long pos, long parentEnd) throws IOException, DurationException {
        int first = in.u8(pos);
        int idLength = first <= 0 ? 9 : Integer.numberOfLeadingZeros(first) - 23;
        if (idLength > 4) {
            throw DurationException.bad("an invalid EBML element ID at byte " + pos);
        }
        long id = in.be(pos, idLength);
        int sizeFirst = in.u8(pos + idLength);
        int sizeLength = sizeFirst <= 0 ? 9 : Integer.numberOfLeadingZeros(sizeFirst) - 23;
        if (id < 0 || sizeLength > 8) {
            throw DurationException.bad("a truncated or invalid EBML element at byte " + pos);
        }
        long raw = in.be(pos + idLength, sizeLength);
        long marker = 1L << (7 * sizeLength);
        long size = raw ^ marker;
        long bodyStart = pos + idLength + sizeLength;
        if (size == marker - 1) {
            return new Element(id, bodyStart, -1, parentEnd);
        }
        if (size > parentEnd - bodyStart) {
            throw DurationException.bad("an element at byte " + pos + " claims " + size + " bytes; only "
                    + Math.max(0, parentEnd - bodyStart) + " remain (truncated?)");
        }
        return new Element(id, bodyStart, size, bodyStart + size);
    }

    private record Element(long id, long bodyStart, long length, long end) {
        boolean unknownSize() {
            return length < 0;
        }
    }
}

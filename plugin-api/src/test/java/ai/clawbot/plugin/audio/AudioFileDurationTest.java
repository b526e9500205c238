package ai.clawbot.plugin.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.fs.ConfinedRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durations measured from the container, without decoding: OGG Vorbis, MP3 (MPEG-2 frame walk, MPEG-1 VBR with a
 * Xing header, behind an ID3v2 tag) and FLAC written by Debian's sox and checked against {@code sox --i -D}; Ogg Opus,
 * MP4 and WebM (with Duration, and MediaRecorder-style without it) built here byte by byte to their specifications.
 * Lying and truncated headers get typed errors or their absurd measured length, never a crash or a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AudioFileDurationTest {

    Path dir;
    ConfinedRoot root;

    @BeforeAll
    void generate(@TempDir Path tmp) throws Exception {
        dir = tmp;
        sox("-n", "-r", "16000", "-c", "1", "vorbis.ogg", "synth", "3.5", "sine", "440");
        sox("-n", "-r", "16000", "-c", "1", "mpeg2.mp3", "synth", "3.5", "sine", "440");
        sox("-n", "-r", "44100", "-c", "2", "-C", "-4.2", "vbr.mp3", "synth", "6", "sine", "300-900");
        sox("-n", "-r", "16000", "-c", "1", "long.ogg", "synth", "75", "sine", "440");
        sox("-n", "-r", "16000", "-c", "1", "tone.flac", "synth", "2.25", "sine", "440");
        byte[] id3 = new byte[10 + 300];
        System.arraycopy("ID3".getBytes(StandardCharsets.US_ASCII), 0, id3, 0, 3);
        id3[3] = 4;
        id3[8] = 2;
        id3[9] = 0x2C;
        write("tagged.mp3", concat(id3, Files.readAllBytes(dir.resolve("mpeg2.mp3"))));
        root = ConfinedRoot.open(dir, "workspace");
    }

    @Test
    void soxFilesMeasureAsSoxReadsThem() throws Exception {
        for (String name : List.of("vorbis.ogg", "mpeg2.mp3", "vbr.mp3", "long.ogg", "tone.flac", "tagged.mp3")) {
            double sox = Double.parseDouble(soxInfo(name.equals("tagged.mp3") ? "mpeg2.mp3" : name));
            assertThat(open(name).seconds()).as(name).isCloseTo(sox, within(0.08));
        }
        assertThat(open("vorbis.ogg").seconds()).isCloseTo(3.5, within(0.001));
        assertThat(open("vbr.mp3").kind()).isEqualTo(AudioFile.Kind.MP3);
        assertThat(xingCount(Files.readAllBytes(dir.resolve("vbr.mp3")))).as("sox wrote a Xing/Info header").isPositive();
        assertThat(xingCount(Files.readAllBytes(dir.resolve("mpeg2.mp3")))).as("CBR: measured by the frame walk").isEqualTo(-1);
    }

    @Test
    void overLimitRefusedWithTheMeasuredLength() throws Exception {
        AudioFile longOgg = open("long.ogg");
        ToolException e = catchThrowableOfType(ToolException.class, () -> longOgg.requireAtMost(60, "long.ogg"));
        assertThat(e.code()).isEqualTo("AUDIO_TOO_LONG");
        assertThat(e.getMessage()).contains("75.0 s long").contains("limit is 60 s");
    }

    @Test
    void opusUsesItsPreSkipAnd48kGranules() throws Exception {
        write("speech.opus", opus(48_000 * 2 + 312, 312));
        AudioFile a = open("speech.opus");
        assertThat(a.kind()).isEqualTo(AudioFile.Kind.OGG);
        assertThat(a.seconds()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void lyingHugeGranuleIsMeasuredAndRefused() throws Exception {
        byte[] ogg = Files.readAllBytes(dir.resolve("vorbis.ogg"));
        int last = lastIndexOf(ogg, "OggS");
        ByteBuffer.wrap(ogg).order(ByteOrder.LITTLE_ENDIAN).putLong(last + 6, 1L << 60);
        write("lying.ogg", ogg);
        AudioFile a = open("lying.ogg");
        ToolException e = catchThrowableOfType(ToolException.class, () -> a.requireAtMost(60, "lying.ogg"));
        assertThat(e.code()).isEqualTo("AUDIO_TOO_LONG");
        assertThat(e.getMessage()).contains("72057594037927.9 s long");

        ByteBuffer.wrap(ogg).order(ByteOrder.LITTLE_ENDIAN).putLong(last + 6, -5);
        write("negative.ogg", ogg);
        assertThat(refusal("negative.ogg")).startsWith("BAD_AUDIO").contains("negative granule");
    }

    @Test
    void lyingXingFrameCountIsMeasuredAndRefused() throws Exception {
        byte[] mp3 = Files.readAllBytes(dir.resolve("vbr.mp3"));
        int at = xingCount(mp3);
        ByteBuffer.wrap(mp3).putInt(at, 0x7FFF_FFFF);
        write("lying.mp3", mp3);
        AudioFile a = open("lying.mp3");
        assertThat(a.seconds()).isCloseTo(0x7FFF_FFFFL * 1152 / 44_100.0, within(1.0));
        ToolException e = catchThrowableOfType(ToolException.class, () -> a.requireAtMost(1800, "lying.mp3"));
        assertThat(e.code()).isEqualTo("AUDIO_TOO_LONG");
    }

    @Test
    void truncatedFilesMeasureWhatTheyHoldOrAreRefused() throws Exception {
        byte[] ogg = Files.readAllBytes(dir.resolve("long.ogg"));
        write("half.ogg", Arrays.copyOf(ogg, ogg.length / 2));
        assertThat(open("half.ogg").seconds()).isBetween(20.0, 55.0);
        write("head.ogg", Arrays.copyOf(ogg, 40));
        assertThat(refusal("head.ogg")).startsWith("BAD_AUDIO");

        byte[] mp3 = Files.readAllBytes(dir.resolve("mpeg2.mp3"));
        write("half.mp3", Arrays.copyOf(mp3, mp3.length / 2));
        assertThat(open("half.mp3").seconds()).isBetween(1.4, 2.0);

        // Junk after the first frame does not hide the frames behind it (decoders resynchronise past it).
        int cut = 2 * 144; // inside the second or third 8-kbps-ish frame: the walk loses sync there
        byte[] junk = new byte[5000];
        new Random(11).nextBytes(junk);
        write("spliced.mp3", concat(Arrays.copyOf(mp3, cut), junk, Arrays.copyOfRange(mp3, cut, mp3.length)));
        assertThat(open("spliced.mp3").seconds()).isCloseTo(open("mpeg2.mp3").seconds(), within(0.2));
    }

    @Test
    void junkBehindAMagicNumberIsRefusedQuickly() throws Exception {
        byte[] junk = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(junk);
        for (int i = 0; i < junk.length - 3; i += 997) { // capture patterns with no page behind them
            junk[i] = 'O';
            junk[i + 1] = 'g';
            junk[i + 2] = 'g';
            junk[i + 3] = 'S';
        }
        write("junk.ogg", junk);
        assertThat(refusal("junk.ogg")).startsWith("BAD_AUDIO");
        byte[] mp3Junk = concat("ID3\4\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1), new byte[200_000]);
        write("junk.mp3", mp3Junk);
        assertThat(refusal("junk.mp3")).startsWith("BAD_AUDIO").contains("no MPEG audio frame");
    }

    @Test
    void mp4MovieHeaderDuration() throws Exception {
        write("v0.m4a", concat(ftyp(), box("moov", box("mvhd", mvhd(0, 1000, 4250))), box("mdat", new byte[64])));
        assertThat(open("v0.m4a").seconds()).isCloseTo(4.25, within(1e-9));
        assertThat(open("v0.m4a").kind()).isEqualTo(AudioFile.Kind.MP4);
        write("v1.mp4", concat(ftyp(), box("mdat", new byte[64]), box("moov", box("trak", new byte[8]),
                box("mvhd", mvhd(1, 44_100, 44_100L * 90)))));
        assertThat(open("v1.mp4").seconds()).isCloseTo(90.0, within(1e-9));
    }

    @Test
    void mp4TruncatedOrUnstatedDurationRefused() throws Exception {
        byte[] whole = concat(ftyp(), box("moov", box("mvhd", mvhd(0, 1000, 4250))));
        write("cut.mp4", Arrays.copyOf(whole, whole.length - 10));
        assertThat(refusal("cut.mp4")).startsWith("BAD_AUDIO").contains("moov box").contains("claims");
        write("nomoov.mp4", concat(ftyp(), box("mdat", new byte[64])));
        assertThat(refusal("nomoov.mp4")).startsWith("BAD_AUDIO").contains("no moov");
        write("frag.mp4", concat(ftyp(), box("moov", box("mvhd", mvhd(0, 1000, 0))), box("moof", new byte[8])));
        assertThat(refusal("frag.mp4")).startsWith("UNMEASURABLE_AUDIO");
        write("mehd.mp4", concat(ftyp(), box("moov", box("mvhd", mvhd(0, 1000, 0)),
                box("mvex", box("mehd", concat(new byte[4], be(7500, 4)))))));
        assertThat(open("mehd.mp4").seconds()).isCloseTo(7.5, within(1e-9));
    }

    @Test
    void webmInfoDurationTimesTimecodeScale() throws Exception {
        byte[] info = ebml(0x1549A966, concat(ebml(0x2AD7B1, be(1_000_000, 3)),
                ebml(0x4489, be(Float.floatToIntBits(5250f), 4))));
        write("clip.webm", concat(ebmlHeader(), ebml(0x18538067, concat(info, cluster(false, 0, 0, 20)))));
        assertThat(open("clip.webm").seconds()).isCloseTo(5.25, within(1e-6));
        assertThat(open("clip.webm").kind()).isEqualTo(AudioFile.Kind.WEBM);
    }

    @Test
    void mediaRecorderWebmWithoutDurationIsMeasuredFromItsBlocks() throws Exception {
        byte[] info = ebml(0x1549A966, ebml(0x2AD7B1, be(1_000_000, 3)));
        byte[] segment = concat(info, cluster(true, 0, 0, 20), cluster(true, 5000, 0, 60));
        write("recorded.webm", concat(ebmlHeader(), unknownSize(0x18538067, segment)));
        assertThat(open("recorded.webm").seconds()).isCloseTo(5.0 + 0.06 * 49, within(1e-6));

        byte[] whole = concat(ebmlHeader(), ebml(0x18538067, concat(info, cluster(false, 0, 0, 20))));
        write("cut.webm", Arrays.copyOf(whole, whole.length - 7));
        assertThat(refusal("cut.webm")).startsWith("BAD_AUDIO").contains("truncated");
        write("empty.webm", concat(ebmlHeader(), ebml(0x18538067, info)));
        assertThat(refusal("empty.webm")).startsWith("UNMEASURABLE_AUDIO");
    }

    // ---- helpers

    private AudioFile open(String name) throws ToolException {
        return AudioFile.open(root, name, AudioFile.MAX_BYTES);
    }

    private String refusal(String name) {
        ToolException e = catchThrowableOfType(ToolException.class, () -> open(name));
        assertThat(e).as(name + " refused").isNotNull();
        assertThat(e.getMessage()).contains("'" + name + "'");
        return e.code() + ": " + e.getMessage();
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }

    private void sox(String... args) throws Exception {
        Process p = new ProcessBuilder(concatArgs("/usr/bin/sox", args)).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("sox " + String.join(" ", args) + ": " + out).isZero();
    }

    private String soxInfo(String name) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/sox", "--i", "-D", dir.resolve(name).toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static List<String> concatArgs(String first, String[] rest) {
        var l = new java.util.ArrayList<String>();
        l.add(first);
        l.addAll(List.of(rest));
        return l;
    }

    /** The offset of the frame count in the file's Xing/Info header, or -1. */
    private static int xingCount(byte[] mp3) {
        int at = Math.max(indexOf(mp3, "Xing"), indexOf(mp3, "Info"));
        return at < 0 || at > 200 ? -1 : at + 8;
    }

    private static int indexOf(byte[] b, String s) {
        outer:
        for (int i = 0; i + s.length() <= b.length; i++) {
            for (int k = 0; k < s.length(); k++) {
                if (b[i + k] != s.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, String s) {
        for (int i = b.length - s.length(); i >= 0; i--) {
            if (new String(b, i, s.length(), StandardCharsets.ISO_8859_1).equals(s)) {
                return i;
            }
        }
        return -1;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] be(long v, int n) {
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--, v >>>= 8) {
            b[i] = (byte) v;
        }
        return b;
    }

    private static byte[] le(long v, int n) {
        byte[] b = be(v, n);
        for (int i = 0; i < n / 2; i++) {
            byte t = b[i];
            b[i] = b[n - 1 - i];
            b[n - 1 - i] = t;
        }
        return b;
    }

    // ---- Ogg Opus (RFC 3533 pages with their CRC, RFC 7845 headers)

    static byte[] opus(long finalGranule, int preSkip) {
        byte[] head = concat("OpusHead".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 1}, le(preSkip, 2),
                le(16_000, 4), new byte[] {0, 0, 0});
        byte[] tags = concat("OpusTags".getBytes(StandardCharsets.US_ASCII), le(5, 4),
                "claw!".getBytes(StandardCharsets.US_ASCII), le(0, 4));
        byte[] audio = new byte[300];
        new Random(3).nextBytes(audio);
        return concat(oggPage(2, 0, 0, head), oggPage(0, 0, 1, tags), oggPage(0, finalGranule / 2, 2, audio),
                oggPage(4, finalGranule, 3, audio));
    }

    static byte[] oggPage(int type, long granule, int seq, byte[] packet) {
        int segments = packet.length / 255 + 1;
        byte[] lacing = new byte[segments];
        Arrays.fill(lacing, (byte) 255);
        lacing[segments - 1] = (byte) (packet.length % 255);
        byte[] page = concat("OggS".getBytes(StandardCharsets.US_ASCII), new byte[] {0, (byte) type}, le(granule, 8),
                le(0x434C4157, 4), le(seq, 4), new byte[4], new byte[] {(byte) segments}, lacing, packet);
        int crc = 0;
        for (byte b : page) {
            crc ^= (b & 0xFF) << 24;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
            }
        }
        System.arraycopy(le(Integer.toUnsignedLong(crc), 4), 0, page, 22, 4);
        return page;
    }

    // ---- ISO base media

    private static byte[] ftyp() {
        return box("ftyp", concat("M4A ".getBytes(StandardCharsets.US_ASCII), be(0, 4),
                "M4A isom".getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] box(String type, byte[]... body) {
        byte[] b = concat(body);
        return concat(be(8 + b.length, 4), type.getBytes(StandardCharsets.US_ASCII), b);
    }

    private static byte[] mvhd(int version, long timescale, long duration) {
        byte[] times = version == 1 ? concat(new byte[16], be(timescale, 4), be(duration, 8))
                : concat(new byte[8], be(timescale, 4), be(duration, 4));
        return concat(new byte[] {(byte) version, 0, 0, 0}, times, be(0x00010000, 4), be(0x0100, 2), new byte[10],
                new byte[36], new byte[24], be(2, 4));
    }

    // ---- EBML / Matroska

    private static byte[] ebmlHeader() {
        return ebml(0x1A45DFA3, concat(ebml(0x4286, be(1, 1)), ebml(0x4282, "webm".getBytes(StandardCharsets.US_ASCII))));
    }

    private static byte[] id(long id) {
        int n = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        return be(id, n);
    }

    static byte[] ebml(long id, byte[] body) {
        return concat(id(id), be((1L << 56) | body.length, 8), body);
    }

    private static byte[] unknownSize(long id, byte[] body) {
        return concat(id(id), be(0x01FF_FFFF_FFFF_FFFFL, 8), body);
    }

    /** A cluster at {@code timecode} with {@code blocks} Opus-sized SimpleBlocks every {@code step} ms from {@code from}. */
    private static byte[] cluster(boolean unknown, long timecode, int from, int step) {
        int blocks = 50;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ebml(0xE7, be(timecode, 4)));
        for (int i = 0; i < blocks; i++) {
            body.writeBytes(ebml(0xA3, concat(new byte[] {(byte) 0x81}, be(from + i * step, 2), new byte[] {(byte) 0x80},
                    new byte[40])));
        }
        return unknown ? unknownSize(0x1F43B675, body.toByteArray()) : ebml(0x1F43B675, body.toByteArray());
    }
}

package ai.clawbot.signing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes zip bytes by hand (STORED entries, no compression), so a test can build structures that
 * {@link java.util.zip.ZipOutputStream} refuses to write: duplicate names, or a central directory that
 * names an entry differently from its local header.
 */
final class RawZip {

    /**
     * One stored entry.
     *
     * @param localName   the name in the local file header (what a streaming reader sees)
     * @param centralName the name in the central directory (what {@link java.util.zip.ZipFile} sees), or
     *                    {@code null} to leave the entry out of the central directory
     */
    record Entry(String localName, String centralName, byte[] data) {

        static Entry of(String name, byte[] data) {
            return new Entry(name, name, data);
        }

        static Entry of(String name, String data) {
            return of(name, data.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A central-directory record named {@code name} that points at local record {@code local}. */
    record Central(String name, int local) {
    }

    private RawZip() {
    }

    static byte[] build(List<Entry> entries) {
        List<Central> central = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).centralName() != null) {
                central.add(new Central(entries.get(i).centralName(), i));
            }
        }
        return build(entries, central);
    }

    /** Local records in {@code entries} order, then exactly the given central-directory records. */
    static byte[] build(List<Entry> entries, List<Central> central) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add(out.size());
            byte[] name = e.localName().getBytes(StandardCharsets.UTF_8);
            int32(out, 0x04034b50);
            int16(out, 10);          // version needed
            int16(out, 0x0800);      // flags: UTF-8 names
            int16(out, 0);           // method: stored
            int16(out, 0);           // mod time
            int16(out, 0x21);        // mod date (1980-01-01)
            int32(out, (int) crc(e.data()));
            int32(out, e.data().length);
            int32(out, e.data().length);
            int16(out, name.length);
            int16(out, 0);           // extra length
            out.writeBytes(name);
            out.writeBytes(e.data());
        }
        int cdStart = out.size();
        int cdCount = 0;
        for (Central c : central) {
            Entry e = entries.get(c.local());
            cdCount++;
            byte[] name = c.name().getBytes(StandardCharsets.UTF_8);
            int32(out, 0x02014b50);
            int16(out, 20);          // version made by
            int16(out, 10);          // version needed
            int16(out, 0x0800);
            int16(out, 0);
            int16(out, 0);
            int16(out, 0x21);
            int32(out, (int) crc(e.data()));
            int32(out, e.data().length);
            int32(out, e.data().length);
            int16(out, name.length);
            int16(out, 0);           // extra
            int16(out, 0);           // comment
            int16(out, 0);           // disk
            int16(out, 0);           // internal attributes
            int32(out, 0);           // external attributes
            int32(out, offsets.get(c.local()));
            out.writeBytes(name);
        }
        int cdSize = out.size() - cdStart;
        int32(out, 0x06054b50);
        int16(out, 0);
        int16(out, 0);
        int16(out, cdCount);
        int16(out, cdCount);
        int32(out, cdSize);
        int32(out, cdStart);
        int16(out, 0);
        return out.toByteArray();
    }

    private static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    private static void int16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        int16(out, v & 0xffff);
        int16(out, (v >>> 16) & 0xffff);
    }
}

package ai.clawbot.plugin.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random-access reads over an audio file through one 64 KiB window, so a container walker can jump (MP4 boxes, the
 * last Ogg page) or step frame by frame (MP3) without reading the whole file or issuing a system call per field.
 */
final class ByteSource implements Closeable {

    private static final int WINDOW = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private long windowStart = -1;
    private int windowLength;

    private ByteSource(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    static ByteSource open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        return new ByteSource(ch, ch.size());
    }

    long size() {
        return size;
    }

    /** The byte at {@code pos}, or -1 past the end. */
    int u8(long pos) throws IOException {
        if (pos < 0 || pos >= size) {
            return -1;
        }
        if (pos < windowStart || pos >= windowStart + windowLength) {
            fill(pos);
        }
        return window.get((int) (pos - windowStart)) & 0xFF;
    }

    /** Up to {@code n} bytes from {@code pos}: fewer when the file ends first. */
    byte[] read(long pos, int n) throws IOException {
        int len = (int) Math.max(0, Math.min(n, size - pos));
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = (byte) u8(pos + i);
        }
        return out;
    }

    /** An unsigned big-endian integer of {@code n} (1 to 8) bytes, or -1 when the file ends first. */
    long be(long pos, int n) throws IOException {
        if (pos < 0 || pos + n > size) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8(pos + i);
        }
        return v;
    }

    /** A little-endian integer of {@code n} (1 to 8) bytes, or -1 when the file ends first. */
    long le(long pos, int n) throws IOException {
        if (pos < 0 || pos + n > size) {
            return -1;
        }
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | u8(pos + i);
        }
        return v;
    }

    boolean ascii(long pos, String magic) throws IOException {
        for (int i = 0; i < magic.length(); i++) {
            if (u8(pos + i) != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void fill(long pos) throws IOException {
        window.clear();
        // reading backwards (the last Ogg page) keeps the window below pos, forwards above it
        long start = pos < windowStart ? pos - WINDOW + 1 : pos;
        start = Math.max(0, Math.min(start, size - WINDOW));
        int read = 0;
        while (window.hasRemaining()) {
            int r = channel.read(window, start + read);
            if (r <= 0) {
                break;
            }
            read += r;
        }
        windowStart = start;
        windowLength = read;
        if (pos >= start + read) {
            throw new IOException("the file shrank while it was read");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

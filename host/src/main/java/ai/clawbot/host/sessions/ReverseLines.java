package ai.clawbot.host.sessions;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The lines of a file from the last to the first, read in blocks from the end, so the newest entries of a long
 * transcript (and its tail, to repair it) cost what they weigh rather than the whole file.
 */
final class ReverseLines {

    /**
     * A line without its newline.
     *
     * @param start      offset of its first byte
     * @param length     its length in bytes
     * @param bytes      its bytes; null when it is longer than the limit
     * @param terminated whether a newline follows it (only the last line of a file can lack one)
     */
    record Line(long start, long length, byte[] bytes, boolean terminated) {
        long end() {
            return start + length;
        }
    }

    private static final int BLOCK = 64 * 1024;

    private final FileChannel ch;
    private final long maxLineBytes;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK);
    private long blockStart = -1;
    private long end; // exclusive end of the next line to return
    private boolean terminated;
    private boolean done;

    ReverseLines(FileChannel ch, long maxLineBytes) throws IOException {
        this.ch = ch;
        this.maxLineBytes = maxLineBytes;
        long size = ch.size();
        if (size == 0) {
            done = true;
        } else if (byteAt(size - 1) == '\n') {
            end = size - 1;
            terminated = true;
        } else {
            end = size;
        }
    }

    /**
     * The previous line, or null at the start of the file. A line over the size limit comes back with its
     * position but no bytes: it is never a valid line, and holding it could exhaust memory.
     */
    Line previous() throws IOException {
        if (done) {
            return null;
        }
        long start = end;
        while (start > 0 && byteAt(start - 1) != '\n') {
            start--;
        }
        long length = end - start;
        Line line = new Line(start, length, length > maxLineBytes ? null : read(start, (int) length), terminated);
        if (start == 0) {
            done = true;
        } else {
            end = start - 1;
            terminated = true;
        }
        return line;
    }

    private byte byteAt(long pos) throws IOException {
        if (blockStart < 0 || pos < blockStart || pos >= blockStart + block.limit()) {
            // Reading backwards: load the block that ends at pos.
            blockStart = Math.max(0, pos - BLOCK + 1);
            block.clear();
            block.limit((int) Math.min(BLOCK, ch.size() - blockStart));
            fill(block, blockStart);
            block.flip();
        }
        return block.get((int) (pos - blockStart));
    }

    private byte[] read(long start, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        fill(buf, start);
        return buf.array();
    }

    private void fill(ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new EOFException("file shrank while reading at " + pos);
            }
            pos += n;
        }
    }
}

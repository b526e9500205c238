package ai.clawbot.host.sandbox;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The container's stdin as docker-java reads it: chunks offered by any thread, read by the attach
 * thread. (A {@code PipedInputStream} breaks when a writer thread ends, which virtual threads do.)
 */
final class QueueInputStream extends InputStream {

    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private byte[] current;
    private int pos;
    private volatile boolean closed;

    void offer(byte[] chunk) {
        if (!closed) {
            queue.add(chunk);
        }
    }

    @Override
    public int read() throws java.io.IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        try {
            while (current == null || pos >= current.length) {
                if (current == EOF) {
                    return -1;
                }
                current = queue.take();
                pos = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.add(EOF);
        }
    }
}

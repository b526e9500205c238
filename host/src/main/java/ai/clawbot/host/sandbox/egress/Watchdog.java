package ai.clawbot.host.sandbox.egress;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Closes a connection's sockets once nothing has moved in either direction for the idle timeout. A socket
 * read timeout alone cannot do it: a tunnel busy in one direction is quiet in the other, and a write to a
 * peer that stopped reading blocks with no timeout at all. Closing the sockets unblocks every thread.
 *
 * <p>It also enforces the absolute deadline for the request head (see {@link #input}), so that a client
 * dripping one byte at a time cannot hold a connection slot.
 */
final class Watchdog implements Closeable {

    private final long idleNanos;
    private final List<Closeable> guarded = new CopyOnWriteArrayList<>();
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;
    private volatile Thread thread;

    Watchdog(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    void guard(Closeable c) {
        guarded.add(c);
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    boolean fired() {
        return fired;
    }

    /** Starts watching for idleness (after the request head has been read). */
    void arm() {
        touch();
        thread = Thread.ofVirtual().name("egress-watchdog").start(this::watch);
    }

    private void watch() {
        while (true) {
            long wait = idleNanos - (System.nanoTime() - lastActivity);
            if (wait <= 0) {
                fired = true;
                closeAll();
                return;
            }
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void closeAll() {
        for (Closeable c : guarded) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The socket's input; every read counts as activity, and reads honour {@link DeadlineInput#deadline}. */
    DeadlineInput input(Socket s) throws IOException {
        return new DeadlineInput(s, s.getInputStream());
    }

    /** The socket's output; every completed write counts as activity. */
    OutputStream output(Socket s) throws IOException {
        return new FilterOutputStream(s.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                touch();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                touch();
            }
        };
    }

    /** A socket input with an optional absolute deadline, enforced through the socket's read timeout. */
    final class DeadlineInput extends FilterInputStream {

        private final Socket socket;
        private volatile long deadline;
        private volatile boolean hasDeadline;

        private DeadlineInput(Socket socket, InputStream in) {
            super(in);
            this.socket = socket;
        }

        /** Reads fail with {@link SocketTimeoutException} after {@code timeout} from now; {@code null} clears it. */
        void deadline(Duration timeout) throws IOException {
            if (timeout == null) {
                hasDeadline = false;
                socket.setSoTimeout(0);
            } else {
                deadline = System.nanoTime() + timeout.toNanos();
                hasDeadline = true;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (hasDeadline) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("deadline passed");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                touch();
            }
            return n;
        }
    }
}

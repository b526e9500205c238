package ai.clawbot.host.gateway;

import io.helidon.websocket.WsSession;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one writer of a socket. Helidon's {@code WsSession.send} is not thread-safe and blocks on a slow peer,
 * so frames are queued here and written in order by a single virtual thread per connection; a broadcast never
 * waits on a slow client. A peer that lets more than {@code maxBufferedBytes} pile up is disconnected
 * (1008, slow consumer) rather than allowed to grow the heap.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private record Item(String text, int closeCode, String closeReason) {
        boolean isClose() {
            return text == null;
        }
    }

    private final WsSession session;
    private final long maxBufferedBytes;
    private final Runnable onDead;
    private final Deque<Item> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean draining;
    private boolean closed;
    private Thread writer;

    /**
     * @param onDead runs once a write fails: Helidon does not call {@code onClose}/{@code onError} when a peer
     *               vanishes without a close frame, so a failed write is how a dead connection is noticed
     */
    Outbox(WsSession session, long maxBufferedBytes, Runnable onDead) {
        this.session = session;
        this.maxBufferedBytes = maxBufferedBytes;
        this.onDead = onDead;
    }

    /** Queues a frame; dropped when the connection is closed, or cut for not reading. */
    void send(String text) {
        synchronized (this) {
            if (closed) {
                return;
            }
            long bytes = text.length() * 2L;
            if (queuedBytes + bytes > maxBufferedBytes && !queue.isEmpty()) {
                queue.clear();
                queuedBytes = 0;
                closed = true;
                LOG.log(System.Logger.Level.WARNING, "dropping a connection that stopped reading (over "
                        + maxBufferedBytes + " bytes queued)");
                // The close is queued whatever the writer is doing: a writer between two frames (its last write
                // just fit) finds it next instead of an empty queue, and leaves only after the peer was told.
                queue.add(new Item(null, 1008, "slow consumer"));
                if (writer != null) {
                    // A writer parked in a socket write the peer will never drain would never reach that close.
                    // Interrupting a virtual thread blocked in socket I/O closes the socket, which ends the write
                    // and frees the thread (its failure then drops the connection from the hub).
                    writer.interrupt();
                } else {
                    startDrain();
                }
                return;
            } else {
                queue.add(new Item(text, 0, null));
                queuedBytes += bytes;
            }
            startDrain();
        }
    }

    /** Queues a close after everything already queued (so an error reply goes out before the close). */
    void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new Item(null, code, reason));
            startDrain();
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** The peer went away: drop what is queued. */
    void abandon() {
        synchronized (this) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
    }

    private void startDrain() {
        if (!draining) {
            draining = true;
            writer = Thread.ofVirtual().name("ws-writer").start(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Item item;
            synchronized (this) {
                item = queue.poll();
                if (item == null) {
                    draining = false;
                    writer = null;
                    return;
                }
                if (!item.isClose()) {
                    queuedBytes -= item.text().length() * 2L;
                }
            }
            try {
                if (item.isClose()) {
                    session.close(item.closeCode(), item.closeReason());
                    onDead.run(); // we closed it: it leaves the hub now, whatever the peer does
                } else {
                    session.send(item.text(), true);
                }
            } catch (RuntimeException e) {
                abandon();
                synchronized (this) {
                    draining = false;
                    writer = null;
                }
                onDead.run();
                return;
            }
        }
    }
}

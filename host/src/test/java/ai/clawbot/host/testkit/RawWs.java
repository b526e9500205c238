package ai.clawbot.host.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A byte-level WebSocket client over a plain loopback socket, for what the JDK client refuses to send:
 * text frames whose payload is not UTF-8, a UTF-8 character split across fragments, stray continuation
 * frames, reserved opcodes. Frames are masked as RFC 6455 requires of clients. Every read is bounded.
 */
public final class RawWs implements AutoCloseable {

    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    private final Socket socket;
    private final OutputStream out;
    private final Random maskRandom = new Random(1);
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<WsProbe.Close> closed = new CompletableFuture<>();
    private final Thread reader;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawWs(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        byte[] key = new byte[16];
        maskRandom.nextBytes(key);
        String req = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(new Tap(socket.getInputStream(), received));
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no upgrade: " + head);
        }
        reader = Thread.ofPlatform().daemon().start(() -> readLoop(in));
    }

    public static RawWs open(int port) throws IOException {
        return new RawWs(port);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the upgrade");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void readLoop(DataInputStream in) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                boolean fin = (b0 & 0x80) != 0;
                int op = b0 & 0x0F;
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                if (len > 64L * 1024 * 1024) {
                    throw new IOException("server frame of " + len + " bytes");
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                if (op == CLOSE) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    closed.complete(new WsProbe.Close(code, reason));
                    return;
                }
                if (op == TEXT || op == CONTINUATION) {
                    message.write(payload);
                    if (fin) {
                        messages.add(message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                }
            }
        } catch (IOException e) {
            closed.complete(new WsProbe.Close(-1, "connection ended without a close frame: " + e));
        }
    }

    /** Writes one masked frame with the given first byte's flags and opcode. */
    public boolean frame(boolean fin, int opcode, byte[] payload) {
        try {
            ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
            f.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                f.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                f.write(0x80 | 126);
                f.write(payload.length >>> 8);
                f.write(payload.length & 0xFF);
            } else {
                f.write(0x80 | 127);
                for (int i = 56; i >= 0; i -= 8) {
                    f.write((int) (((long) payload.length) >>> i) & 0xFF);
                }
            }
            byte[] mask = new byte[4];
            maskRandom.nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
            out.write(f.toByteArray());
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes bytes as they are: for frames this client would not build (unmasked ones). */
    public boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean text(byte[] utf8OrNot) {
        return frame(true, TEXT, utf8OrNot);
    }

    public String next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next text message, or null after the timeout or as soon as the server has closed. */
    public String nextOrClosed(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String m = messages.poll(20, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (closed.isDone()) {
                return messages.poll();
            }
        }
        return null;
    }

    public WsProbe.Close awaitClose(Duration timeout) throws InterruptedException {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** Every byte the server sent after its upgrade response, as ISO-8859-1 text (for reports). */
    public String receivedAfterUpgrade() {
        synchronized (received) {
            String all = received.toString(StandardCharsets.ISO_8859_1);
            int at = all.indexOf("\r\n\r\n");
            return at < 0 ? all : all.substring(at + 4);
        }
    }

    /** Copies what is read, up to 64 KiB. */
    private static final class Tap extends java.io.FilterInputStream {
        private final ByteArrayOutputStream copy;

        Tap(InputStream in, ByteArrayOutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                synchronized (copy) {
                    if (copy.size() < 65536) {
                        copy.write(b);
                    }
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                synchronized (copy) {
                    copy.write(b, off, Math.min(n, Math.max(0, 65536 - copy.size())));
                }
            }
            return n;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone
        }
        reader.interrupt();
    }
}

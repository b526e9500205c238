package ai.clawbot.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking RFC 6455 client over a plain socket, for measuring: no executor hops, no futures, one
 * write per flush. Run on virtual threads, a thousand of them cost little (the JDK parks them on NIO).
 * The JDK's {@code java.net.http.WebSocket} would add its own scheduling to every figure, for both the
 * gateway and the baseline.
 */
final class WsConn implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Nanos from connect start to the 101 response read (TCP connect + HTTP upgrade). */
    final long upgradeNanos;

    private WsConn(Socket socket, InputStream in, OutputStream out, long upgradeNanos) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.upgradeNanos = upgradeNanos;
    }

    /** Connects and upgrades {@code ws://127.0.0.1:port/}; fails on anything but a valid 101. */
    static WsConn open(int port, int timeoutMs) throws IOException {
        long t0 = System.nanoTime();
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 8 * 1024);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = HttpProbe.readHead(in);
            if (!head.startsWith("HTTP/1.1 101") || !head.toLowerCase().contains(accept(key).toLowerCase())) {
                throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            return new WsConn(s, in, out, System.nanoTime() - t0);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static String accept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Buffers one masked text frame; call {@link #flush()} to put it (and any others) on the wire. */
    void write(String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x81);
        if (p.length < 126) {
            out.write(0x80 | p.length);
        } else if (p.length < 65536) {
            out.write(0x80 | 126);
            out.write(p.length >>> 8);
            out.write(p.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) p.length >>> shift));
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        out.write(m);
        for (int i = 0; i < p.length; i++) {
            p[i] ^= m[i & 3];
        }
        out.write(p);
    }

    void flush() throws IOException {
        out.flush();
    }

    void send(String text) throws IOException {
        write(text);
        flush();
    }

    /** Whether a whole frame header is probably already buffered (so reading it will not block long). */
    boolean hasBuffered() throws IOException {
        return in.available() > 0;
    }

    /** The next text message (fragments joined); answers pings; throws {@link EOFException} on close. */
    String read() throws IOException {
        StringBuilder joined = null;
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                throw new EOFException("connection closed by server");
            }
            long len = b1 & 0x7f;
            if (len == 126) {
                len = (readByte() << 8) | readByte();
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | readByte();
                }
            }
            if ((b1 & 0x80) != 0 || len > 64L * 1024 * 1024) {
                throw new IOException("server frame masked or too large (" + len + " bytes)");
            }
            byte[] payload = in.readNBytes((int) len);
            if (payload.length != len) {
                throw new EOFException("connection closed mid-frame");
            }
            int opcode = b0 & 0x0f;
            boolean fin = (b0 & 0x80) != 0;
            switch (opcode) {
                case 0x8 -> throw new EOFException("server closed: " + closeCode(payload));
                case 0x9 -> sendControl(0xA, payload);
                case 0xA -> { /* pong: ignore */ }
                case 0x1, 0x0 -> {
                    String part = new String(payload, StandardCharsets.UTF_8);
                    if (fin && joined == null) {
                        return part;
                    }
                    joined = joined == null ? new StringBuilder(part) : joined.append(part);
                    if (fin) {
                        return joined.toString();
                    }
                }
                default -> throw new IOException("unexpected opcode " + opcode);
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed mid-header");
        }
        return b;
    }

    private static String closeCode(byte[] p) {
        return p.length >= 2 ? ((p[0] & 0xff) << 8 | (p[1] & 0xff)) + " " + new String(p, 2, p.length - 2, StandardCharsets.UTF_8) : "no code";
    }

    private void sendControl(int opcode, byte[] payload) throws IOException {
        out.write(0x80 | opcode);
        out.write(0x80 | payload.length);
        out.write(new byte[4]); // zero mask: XOR leaves the payload as is
        out.write(payload);
        out.flush();
    }

    void setTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    /** Sends a normal close (1000) and drops the socket without waiting for the echo. */
    @Override
    public void close() {
        try {
            sendControl(0x8, new byte[] {0x03, (byte) 0xe8});
        } catch (IOException ignored) {
            // already gone
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}

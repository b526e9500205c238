package ai.clawbot.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Raw HTTP/1.1 {@code GET} over a socket: a readiness probe that costs the starting server (and the two
 * shared cores) as little as possible, and a kept-alive round trip for a latency reference.
 */
final class HttpProbe implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] request;

    private HttpProbe(Socket socket, String path, int port) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A kept-alive connection for repeated {@link #roundTrip()}s. */
    static HttpProbe open(int port, String path) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        return new HttpProbe(s, path, port);
    }

    /** One request on this connection; returns the status code after reading the whole body. */
    int roundTrip() throws IOException {
        out.write(request);
        out.flush();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new EOFException("body cut short");
        }
        return status;
    }

    /** Status of one {@code GET} on a fresh connection, or -1 when nothing answers yet. */
    static int status(int port, String path) {
        try (HttpProbe p = open(port, path)) {
            return p.roundTrip();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Reads an HTTP head (status line and headers) up to the blank line, leaving the body buffered. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        int state = 0; // how much of "\r\n\r\n" has been seen
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the HTTP head");
            }
            sb.append((char) b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
            if (sb.length() > 16 * 1024) {
                throw new IOException("HTTP head too large");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }
}

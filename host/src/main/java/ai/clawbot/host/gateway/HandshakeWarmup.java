package ai.clawbot.host.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes the first WebSocket connection's one-time costs (Helidon's upgrade, the RFC 6455 frame check, the
 * socket, JSON frames, the handshake's refusal path) off the first real client: while the gateway is still
 * starting it connects to itself over loopback, reads the challenge, sends {@code connect} and is refused
 * ("starting"), as any early client would be. Measured: the first handshake after ready went from ~20 ms to
 * about a warm one's. Best effort: a warm-up that fails changes nothing but the first handshake's time.
 *
 * <p>The client side is a plain socket speaking the four frames this needs. The JDK's WebSocket client built a
 * TLS context (the whole CA store) and its own selector thread for a loopback connection, and as the last thing
 * start-up waited for, it delayed {@code /readyz} by ~0.1 s on two cores.
 */
final class HandshakeWarmup {

    private static final System.Logger LOG = System.getLogger(HandshakeWarmup.class.getName());
    private static final int TIMEOUT_MS = 2_000;

    private HandshakeWarmup() {
    }

    /** Starts the warm-up against {@code uri} on a daemon thread; the future completes when it is over. */
    static CompletableFuture<Void> start(URI uri) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("gateway-handshake-warmup").start(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                socket.setTcpNoDelay(true);
                converse(uri, new DataInputStream(socket.getInputStream()), socket.getOutputStream());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "handshake warm-up did not complete: " + e);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private static void converse(URI uri, DataInputStream in, OutputStream out) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        out.write(("GET " + (uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        String challenge = readText(in);
        if (!challenge.contains("connect.challenge")) {
            throw new IOException("no challenge: " + challenge);
        }
        writeText(out, "{\"type\":\"req\",\"id\":\"warmup\",\"method\":\"connect\",\"params\":{"
                + "\"minProtocol\":" + Handshake.PROTOCOL + ",\"maxProtocol\":" + Handshake.PROTOCOL
                + ",\"client\":{\"id\":\"gateway-warmup\",\"version\":\"" + Gateway.VERSION
                + "\",\"platform\":\"jvm\",\"mode\":\"backend\"},\"auth\":{}}}");
        readText(in); // the refusal; the gateway then closes the connection
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() > 8192) {
                throw new IOException("no complete upgrade response");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The next text frame's payload (a server's frames are unmasked); control frames in between are skipped. */
    private static String readText(DataInputStream in) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if (length > 1 << 20) {
                throw new IOException("frame of " + length + " bytes");
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                throw new IOException("closed by the gateway");
            }
            if (opcode == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    /** One masked text frame, as RFC 6455 requires of a client. */
    private static void writeText(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }
}

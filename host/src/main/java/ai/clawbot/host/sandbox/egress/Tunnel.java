package ai.clawbot.host.sandbox.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A CONNECT tunnel: bytes both ways, unread and unchanged (TLS, usually), until either side closes; then
 * both sides are closed. Half-closed tunnels are not kept open: no client of ours needs one, and a
 * half-open tunnel is a connection slot held for nothing.
 */
final class Tunnel {

    private Tunnel() {
    }

    static void run(InputStream clientIn, OutputStream clientOut, InputStream originIn, OutputStream originOut,
            Runnable closeBoth) throws IOException, InterruptedException {
        clientOut.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        clientOut.flush();
        // clientIn may already hold bytes the client sent right after its head (a TLS ClientHello): they go first.
        Thread up = Thread.ofVirtual().name("egress-tunnel-up").start(() -> pump(clientIn, originOut, closeBoth));
        pump(originIn, clientOut, closeBoth);
        up.join();
    }

    private static void pump(InputStream in, OutputStream out, Runnable closeBoth) {
        byte[] buf = new byte[BodyCopier.BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // a side closed or the watchdog closed both: the tunnel is over either way
        } finally {
            closeBoth.run();
        }
    }
}

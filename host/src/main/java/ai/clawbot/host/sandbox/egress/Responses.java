package ai.clawbot.host.sandbox.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The proxy's own answers: a status and a one-line text body, then the connection ends. */
final class Responses {

    private static final int DRAIN_MILLIS = 500;
    private static final int DRAIN_BYTES = 64 * 1024;

    private Responses() {
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    static void write(OutputStream out, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /**
     * Answers and closes gracefully: send, half-close, then read (and drop) what the client already sent, for a
     * moment. Closing a socket with unread input makes the kernel send a reset, which can destroy the answer
     * before the client reads it.
     */
    static void answerAndClose(Socket socket, OutputStream out, int status, String text) {
        try (socket) {
            InputStream in = socket.getInputStream();
            write(out, status, text);
            socket.shutdownOutput();
            socket.setSoTimeout(DRAIN_MILLIS);
            long until = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            byte[] buf = new byte[4096];
            int total = 0;
            while (total < DRAIN_BYTES && System.nanoTime() < until) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException ignored) {
            // the client went away; nothing more to tell it
        }
    }
}

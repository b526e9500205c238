package ai.clawbot.host.sandbox.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A hand-written HTTP client for what java.net.http will not send: CONNECT, malformed or hostile heads. */
final class RawClient implements AutoCloseable {

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** The status line and header lines of a response. */
    record Head(String statusLine, List<String> lines) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String header(String name) {
            for (String l : lines) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).equalsIgnoreCase(name)) {
                    return l.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    RawClient(InetSocketAddress proxy) throws IOException {
        socket = new Socket();
        socket.connect(proxy, 5000);
        socket.setSoTimeout(5000); // a hang fails the test instead of blocking it
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    Head readHead() throws IOException {
        String status = readLine();
        List<String> lines = new ArrayList<>();
        for (String l = readLine(); !l.isEmpty(); l = readLine()) {
            lines.add(l);
        }
        return new Head(status, lines);
    }

    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("the connection closed");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the proxy closes the connection. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** -1 once the connection has ended (EOF or reset), else the next byte. */
    int readByteOrEnd() throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

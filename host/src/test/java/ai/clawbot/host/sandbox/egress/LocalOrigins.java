package ai.clawbot.host.sandbox.egress;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Destinations for the proxy under test, all on 127.0.0.1: an HTTP origin ({@code /x} answers a fixed body,
 * {@code /echo} answers the request body) and a TCP echo server (a line {@code bye} makes it close).
 */
final class LocalOrigins implements AutoCloseable {

    static final InetAddress LOOPBACK = loopback();
    static final String BODY = "hello from the origin";

    /** Maps the test names to 127.0.0.1; everything else is unknown. Trusted, like every custom resolver. */
    static final Resolver TEST_NAMES = host -> switch (host) {
        case "allowed.test", "denied.test" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        default -> throw new UnknownHostException(host + " is not a test name");
    };

    final HttpServer http;
    final ServerSocket echo;
    final AtomicInteger httpRequests = new AtomicInteger();
    final AtomicInteger echoConnections = new AtomicInteger();
    /** Headers and target of each request the HTTP origin received. */
    final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    record Seen(String method, String uri, Headers headers) {
    }

    LocalOrigins() throws IOException {
        http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", exchange -> {
            httpRequests.incrementAndGet();
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), exchange.getRequestHeaders()));
            byte[] body = exchange.getRequestURI().getPath().equals("/echo")
                    ? exchange.getRequestBody().readAllBytes()
                    : BODY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Keep-Alive", "timeout=60");
            exchange.getResponseHeaders().add("X-Origin", "yes");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        echo = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofVirtual().start(this::acceptEcho);
    }

    int httpPort() {
        return http.getAddress().getPort();
    }

    int echoPort() {
        return echo.getLocalPort();
    }

    private void acceptEcho() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                echoConnections.incrementAndGet();
                Thread.ofVirtual().start(() -> echoLines(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echoLines(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                if (b == '\n') {
                    out.flush();
                    if (line.toString().equals("bye")) {
                        return;
                    }
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        } catch (IOException ignored) {
            // the tunnel went away
        }
    }

    /** A 127.0.0.1 port with nothing listening (bound, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        echo.close();
    }
}

package ai.clawbot.host.sandbox.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The only way out of a sandbox container: an HTTP forward proxy that serves {@code CONNECT host:port}
 * tunnels (HTTPS) and plain {@code http://} requests in absolute form, to exactly the {@code host:port}
 * pairs on a skill's allowlist, and refuses everything else with {@code 403 Forbidden}.
 *
 * <p>Names are resolved once, by the {@link Resolver}, and the proxy connects to those very addresses; with
 * the system resolver, names that resolve to loopback, private or other non-public addresses are refused
 * (DNS rebinding), while an IP literal on the allowlist is used as written. One request per client connection
 * ({@code Connection: close}); a request head must arrive within the head timeout and fit the head limit;
 * connections idle for the idle timeout are closed; past the connection limit clients get {@code 503}.
 *
 * <pre>{@code
 * EgressProxy proxy = EgressProxy.builder()
 *         .bind(bridgeAddress, 0)
 *         .allow(List.of(HostPort.parse("api.example.com:443")))
 *         .listener(audit)
 *         .build().start();
 * }</pre>
 */
public final class EgressProxy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EgressProxy.class.getName());
    /** Answering 503 is itself work; past this many at once, extra connections are just closed. */
    private static final int MAX_REJECTING = 16;

    /** Limits on what one client may hold or send. */
    record Limits(int maxConnections, int maxHeadBytes, Duration headTimeout, Duration idleTimeout, Duration connectTimeout) {
    }

    private final InetSocketAddress bindAddress;
    private final EgressPolicy policy;
    private final EgressListener listener;
    private final Limits limits;
    private final Semaphore slots;
    private final Semaphore rejecting = new Semaphore(MAX_REJECTING);
    private final Set<ProxyConnection> live = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean closed;

    private EgressProxy(Builder b) {
        this.bindAddress = new InetSocketAddress(b.bindHost, b.bindPort);
        this.policy = new EgressPolicy(b.allow, b.grants, b.resolver);
        this.listener = b.listener;
        this.limits = new Limits(b.maxConnections, b.maxHeadBytes, b.headTimeout, b.idleTimeout, b.connectTimeout);
        this.slots = new Semaphore(b.maxConnections);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts accepting; returns this proxy. */
    public synchronized EgressProxy start() throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException("an egress proxy starts once");
        }
        ServerSocket s = new ServerSocket();
        try {
            s.bind(bindAddress, 128);
        } catch (IOException e) {
            s.close();
            throw new IOException("could not bind the egress proxy to " + bindAddress + ": " + e.getMessage(), e);
        }
        server = s;
        Thread.ofVirtual().name("egress-accept-" + s.getLocalPort()).start(this::acceptLoop);
        LOG.log(System.Logger.Level.INFO, "egress proxy on " + ProxyConnection.describe(address()) + " allows "
                + (policy.allowlist().isEmpty() ? "nothing" : policy.allowlist())
                + (policy.grants().isEmpty() ? "" : "; operator grants: " + policy.grants().stream()
                        .map(g -> g + " (" + g.name() + (g.allowPrivate() ? ", allowPrivate" : "") + ")").toList()));
        return this;
    }

    /** The port it listens on (the one chosen when bound to port 0). */
    public int port() {
        return address().getPort();
    }

    public InetSocketAddress address() {
        ServerSocket s = server;
        if (s == null) {
            throw new IllegalStateException("the egress proxy has not been started");
        }
        return new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }

    /** The exact destinations served. */
    public Set<HostPort> allowlist() {
        return policy.allowlist();
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!closed) {
            Socket c;
            try {
                c = s.accept();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "egress proxy accept failed: " + e.getMessage());
                continue;
            }
            if (!slots.tryAcquire()) {
                reject(c);
                continue;
            }
            ProxyConnection conn = new ProxyConnection(c, policy, limits, listener, done -> {
                live.remove(done);
                slots.release();
            });
            live.add(conn);
            if (closed) {
                conn.abort(); // close() ran between accept and add
            }
            Thread.ofVirtual().name("egress-conn").start(conn);
        }
    }

    private void reject(Socket c) {
        LOG.log(System.Logger.Level.WARNING, "egress proxy busy: refusing a connection from "
                + c.getRemoteSocketAddress() + " (limit " + limits.maxConnections() + ")");
        if (!rejecting.tryAcquire()) {
            closeQuietly(c);
            return;
        }
        Thread.ofVirtual().name("egress-reject").start(() -> {
            try {
                Responses.answerAndClose(c, c.getOutputStream(), 503,
                        "the egress proxy is at its limit of " + limits.maxConnections() + " connections; try again");
            } catch (IOException e) {
                closeQuietly(c);
            } finally {
                rejecting.release();
            }
        });
    }

    /** Stops accepting and ends every open connection and tunnel. */
    @Override
    public void close() {
        closed = true;
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (ProxyConnection c : List.copyOf(live)) {
            c.abort();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Builds an {@link EgressProxy}; defaults: loopback, any free port, nothing allowed, the system resolver. */
    public static final class Builder {

        private InetAddress bindHost = InetAddress.getLoopbackAddress();
        private int bindPort;
        private final List<HostPort> allow = new ArrayList<>();
        private final List<EgressGrant> grants = new ArrayList<>();
        private Resolver resolver = Resolver.system();
        private EgressListener listener = EgressListener.NONE;
        private int maxConnections = 64;
        private int maxHeadBytes = 16 * 1024;
        private Duration headTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Where to listen; port 0 picks a free one. Bind only where the sandbox (and nothing else) can reach. */
        public Builder bind(InetAddress host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range (0-65535)");
            }
            this.bindHost = Objects.requireNonNull(host, "host");
            this.bindPort = port;
            return this;
        }

        /** Adds destinations to the allowlist (exact host and port). */
        public Builder allow(Collection<HostPort> destinations) {
            destinations.forEach(d -> allow.add(Objects.requireNonNull(d, "destination")));
            return this;
        }

        /** Adds destinations an operator granted (see {@link EgressGrant}); the proxy's log names the grant used. */
        public Builder grant(Collection<EgressGrant> granted) {
            granted.forEach(g -> grants.add(Objects.requireNonNull(g, "grant")));
            return this;
        }

        /** How names are resolved; a custom resolver's answers are trusted (see {@link Resolver}). */
        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public Builder listener(EgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Concurrent client connections (default 64); more get {@code 503}. */
        public Builder maxConnections(int n) {
            this.maxConnections = positive(n, "maxConnections");
            return this;
        }

        /** Bytes of request line and headers (default 16 KiB); more get {@code 431}. */
        public Builder maxHeadBytes(int n) {
            this.maxHeadBytes = positive(n, "maxHeadBytes");
            return this;
        }

        /** Time for the whole request head to arrive (default 10 s); later gets {@code 408}. */
        public Builder headTimeout(Duration d) {
            this.headTimeout = positive(d, "headTimeout");
            return this;
        }

        /** A connection with no bytes moving either way for this long is closed (default 5 min). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /** Time to connect to the destination (default 10 s); later gets {@code 504}. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        public EgressProxy build() {
            return new EgressProxy(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + n);
            }
            return n;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " must be a positive duration under 24 days, got " + d);
            }
            return d;
        }
    }
}

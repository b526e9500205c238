package ai.clawbot.host.sandbox.egress;

import ai.clawbot.host.sandbox.egress.EgressPolicy.Decision;
import ai.clawbot.host.sandbox.egress.HttpHead.HeadException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client connection, one request: read the head (within the head deadline), decide, then answer
 * ourselves, tunnel, or forward. Everything the client sends before the decision stays here.
 */
final class ProxyConnection implements Runnable {

    private static final System.Logger LOG = System.getLogger(EgressProxy.class.getName());

    private final Socket client;
    private final EgressPolicy policy;
    private final EgressProxy.Limits limits;
    private final EgressListener listener;
    private final Consumer<ProxyConnection> onDone;
    private final Watchdog watchdog;
    private final InetSocketAddress peer;

    ProxyConnection(Socket client, EgressPolicy policy, EgressProxy.Limits limits, EgressListener listener,
            Consumer<ProxyConnection> onDone) {
        this.client = client;
        this.policy = policy;
        this.limits = limits;
        this.listener = listener;
        this.onDone = onDone;
        this.watchdog = new Watchdog(limits.idleTimeout());
        this.peer = (InetSocketAddress) client.getRemoteSocketAddress();
        watchdog.guard(client);
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "egress connection from " + describe(peer) + " ended: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watchdog.close();
            watchdog.closeAll();
            onDone.accept(this);
        }
    }

    /** Ends the connection now (the proxy is closing). */
    void abort() {
        watchdog.closeAll();
    }

    private void serve() throws IOException, InterruptedException {
        client.setTcpNoDelay(true);
        Watchdog.DeadlineInput raw = watchdog.input(client);
        InputStream in = new BufferedInputStream(raw, BodyCopier.BUFFER);
        OutputStream out = new BufferedOutputStream(watchdog.output(client), BodyCopier.BUFFER);
        ProxyRequest request;
        Framing framing;
        try {
            raw.deadline(limits.headTimeout());
            request = ProxyRequest.parse(HttpHead.read(in, limits.maxHeadBytes()));
            raw.deadline(null);
            framing = request.isConnect() ? new Framing.None() : Framing.ofRequest(request);
        } catch (SocketTimeoutException e) {
            answer(out, 408, "the request head did not arrive within " + limits.headTimeout().toMillis() + " ms");
            return;
        } catch (HeadException e) {
            switch (e.kind) {
                case EMPTY -> {
                }
                case TOO_LARGE -> answer(out, 431, "request line and headers over " + limits.maxHeadBytes() + " bytes");
                case MALFORMED -> answer(out, 400, e.getMessage());
            }
            return;
        } catch (ProxyError e) {
            answer(out, e.status, e.getMessage());
            return;
        }

        Decision decision = policy.decide(request.target());
        if (decision instanceof Decision.Refused r) {
            refuse(request, r, out);
            return;
        }
        Decision.Allowed allowed = (Decision.Allowed) decision;
        notify(request, EgressEvent.Reason.ALLOWED, "", allowed.grant());
        if (allowed.grant() != null) {
            // An operator's grant is the less reviewed path out: every use of one is logged, with the grant's name.
            LOG.log(System.Logger.Level.INFO, "egress allowed by grant " + allowed.grant() + ": " + describe(peer) + " -> "
                    + request.target() + " (" + request.method() + ")");
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "egress allowed: " + describe(peer) + " -> " + request.target()
                    + " (" + request.method() + ")");
        }

        Socket origin;
        try {
            origin = connect(allowed.addresses(), request.target().port());
        } catch (SocketTimeoutException e) {
            answer(out, 504, "could not connect to " + request.target() + " within " + limits.connectTimeout().toMillis() + " ms");
            return;
        } catch (IOException e) {
            answer(out, 502, "could not connect to " + request.target() + ": " + e.getMessage());
            return;
        }
        InputStream originIn = new BufferedInputStream(watchdog.input(origin), BodyCopier.BUFFER);
        OutputStream originOut = new BufferedOutputStream(watchdog.output(origin), BodyCopier.BUFFER);
        watchdog.arm();
        if (request.isConnect()) {
            Tunnel.run(in, out, originIn, originOut, watchdog::closeAll);
            return;
        }
        try {
            new HttpForwarder(request, framing, in, out, originIn, originOut, () -> closeQuietly(origin)).run();
            out.flush();
            client.shutdownOutput();
        } catch (ProxyError e) {
            if (!watchdog.fired()) {
                answer(out, e.status, e.getMessage());
            }
        }
    }

    private void refuse(ProxyRequest request, Decision.Refused r, OutputStream out) {
        notify(request, r.reason(), r.detail());
        String why = r.reason().text() + (r.detail().isEmpty() ? "" : ": " + r.detail());
        LOG.log(System.Logger.Level.WARNING, "egress refused: " + describe(peer) + " -> " + request.target() + " (" + why + ")");
        String body = switch (r.reason()) {
            case NOT_ON_ALLOWLIST, IP_LITERAL -> "egress to " + request.target()
                    + " refused: the host is not on this skill's allowlist";
            case INTERNAL_ADDRESS -> "egress to " + request.target()
                    + " refused: it resolves to a loopback, private or other non-public address";
            case UNRESOLVABLE -> "egress to " + request.target() + " failed: the host name could not be resolved";
            case ALLOWED -> throw new IllegalStateException();
        };
        answer(out, r.status(), body);
    }

    private void notify(ProxyRequest request, EgressEvent.Reason reason, String detail) {
        notify(request, reason, detail, null);
    }

    private void notify(ProxyRequest request, EgressEvent.Reason reason, String detail, String grant) {
        EgressEvent event = new EgressEvent(Instant.now(), peer, request.method(), request.target().host(),
                request.target().port(), reason, detail, grant);
        try {
            if (event.refused()) {
                listener.refused(event);
            } else {
                listener.allowed(event);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "egress listener failed: " + e);
        }
    }

    /** Connects to the checked addresses only, in order; never resolves the name again. */
    private Socket connect(List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            watchdog.guard(s);
            try {
                s.connect(new InetSocketAddress(a, port), (int) limits.connectTimeout().toMillis());
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address to connect to");
    }

    private void answer(OutputStream out, int status, String text) {
        Responses.answerAndClose(client, out, status, text);
    }

    static String describe(InetSocketAddress a) {
        return a == null ? "?" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

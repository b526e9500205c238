package ai.clawbot.skills.mcporter;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.net.ProxyEnv;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The MCP client side of the skill: one SDK client per configured server, started on first use and kept while
 * the sandbox is warm. Every request has a deadline; past it a stdio server's process tree is killed (an HTTP
 * server's connection dropped) and the call says so. A server that crashed, or whose entry changed, is started
 * afresh on the next call.
 */
final class McpConnections implements AutoCloseable {

    /** Responses larger than this are refused by the HTTP transport (the result cap cuts what is shown). */
    private static final int MAX_HTTP_RESPONSE = 32 * 1024 * 1024;
    /** What a stdio server may print over its life before it is cut off (and restarted on the next call). */
    static final long MAX_STDOUT = 32L * 1024 * 1024;

    private final McpJsonMapper json = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
    private final Map<String, Connection> live = new HashMap<>();
    private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mcporter-request");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> env;

    McpConnections(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A running server: its client, and for stdio the process the SDK started (to kill it with its children). */
    private record Connection(ServerEntry entry, McpSyncClient client, ProcessHandle process, McpClientTransport transport) {

        String stderr() {
            return stderr(transport);
        }

        static String stderr(McpClientTransport t) {
            String tail = t instanceof IsolatedStdioTransport s ? s.stderrTail() : "";
            return tail.isEmpty() ? "" : " (its stderr: " + tail + ")";
        }


        boolean alive() {
            return process == null || process.isAlive();
        }
    }

    /** Runs one request against the server, starting it (initialize included) if it is not running. */
    synchronized <T> T run(ServerEntry entry, Duration startDeadline, Duration deadline, Function<McpSyncClient, T> request)
            throws ToolException {
        Connection c = live.get(entry.name());
        if (c != null && (!c.entry().equals(entry) || !c.alive())) {
            drop(entry.name());
            c = null;
        }
        if (c == null) {
            c = connect(entry, startDeadline);
            live.put(entry.name(), c);
        }
        McpSyncClient client = c.client();
        try {
            return within(deadline, () -> request.apply(client));
        } catch (TimeoutException e) {
            boolean exited = !c.alive();
            drop(entry.name());
            if (exited) {
                throw new ToolException("SERVER_CRASHED", "server '" + entry.name() + "' exited without answering (or its "
                        + "output passed the " + MAX_STDOUT + "-byte cap); it starts again on the next call" + c.stderr());
            }
            throw new ToolException("SERVER_TIMEOUT", "server '" + entry.name() + "' did not answer within "
                    + deadline.toMillis() + " ms; " + (entry.stdio() ? "its process was killed" : "the connection was closed")
                    + " (it starts again on the next call)");
        } catch (ExecutionException e) {
            boolean crashed = !c.alive();
            if (crashed) {
                drop(entry.name());
            }
            throw new ToolException(crashed ? "SERVER_CRASHED" : "SERVER_ERROR", "server '" + entry.name() + "': "
                    + message(e.getCause()) + (crashed ? " (its process exited; it starts again on the next call)" + c.stderr() : ""));
        }
    }

    /** Whether a server's process (or HTTP session) is up. */
    synchronized boolean running(String name) {
        Connection c = live.get(name);
        return c != null && c.alive();
    }

    private Connection connect(ServerEntry entry, Duration deadline) throws ToolException {
        Set<Long> before = children();
        McpClientTransport transport = entry.stdio() ? IsolatedStdioTransport.of(entry, json, MAX_STDOUT) : http(entry);
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("clawbot-mcporter", "0.1.0"))
                .initializationTimeout(deadline.plusSeconds(1))
                .requestTimeout(deadline.plusSeconds(1))
                .build();
        try {
            within(deadline, client::initialize);
            return new Connection(entry, client, entry.stdio() ? started(before) : null, transport);
        } catch (TimeoutException e) {
            ProcessHandle process = entry.stdio() ? started(before) : null;
            kill(client, process);
            String stderr = Connection.stderr(transport);
            if (entry.stdio() && process == null && !stderr.isEmpty()) {
                throw new ToolException("SERVER_EXITED", "server '" + entry.name() + "' exited before completing MCP "
                        + "initialize (its stdout must carry only JSON-RPC lines, within " + MAX_STDOUT + " bytes)" + stderr);
            }
            if (entry.stdio() && process == null) {
                throw new ToolException("SERVER_START_FAILED", "server '" + entry.name() + "' did not start: check its "
                        + "command (" + entry.command() + ") and cwd (" + entry.cwd() + ") exist and are readable in the sandbox"
                        + Connection.stderr(transport));
            }
            throw new ToolException("SERVER_INIT_TIMEOUT", "server '" + entry.name() + "' did not complete MCP initialize within "
                    + deadline.toMillis() + " ms (its stdout must carry only JSON-RPC lines); it was stopped" + Connection.stderr(transport));
        } catch (ExecutionException e) {
            kill(client, entry.stdio() ? started(before) : null);
            throw new ToolException("SERVER_START_FAILED", "server '" + entry.name() + "' could not be started: "
                    + message(e.getCause()) + Connection.stderr(transport));
        }
    }

    private HttpClientStreamableHttpTransport http(ServerEntry entry) throws ToolException {
        URI u;
        try {
            u = URI.create(entry.baseUrl());
        } catch (IllegalArgumentException e) {
            throw new ToolException("SERVER_CONFIG", "server '" + entry.name() + "' has an invalid baseUrl");
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/mcp" : u.getRawPath();
        // Through the sandbox's egress proxy: the only way out, and it lets through only what the operator granted.
        HttpClient.Builder http = HttpClient.newBuilder().proxy(ProxyEnv.of(env)).connectTimeout(Duration.ofSeconds(10));
        return HttpClientStreamableHttpTransport.builder(u.getScheme() + "://" + u.getRawAuthority())
                .endpoint(path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()))
                .clientBuilder(http)
                .jsonMapper(json)
                .maxResponseSize(MAX_HTTP_RESPONSE)
                .customizeRequest(r -> entry.headers().forEach(r::header))
                .build();
    }

    private <T> T within(Duration deadline, java.util.concurrent.Callable<T> task) throws TimeoutException, ExecutionException {
        Future<T> f = requests.submit(task);
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new ExecutionException(e);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
    }

    private void drop(String name) {
        Connection c = live.remove(name);
        if (c != null) {
            kill(c.client(), c.process());
        }
    }

    /** Kills a server: its whole process tree first (a server may fork), then the client's threads. */
    private void kill(McpSyncClient client, ProcessHandle process) {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        requests.submit(() -> {
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // the process is gone already
            }
        });
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The child process that appeared since {@code before} (connects are serialised, so it is this server's). */
    private static ProcessHandle started(Set<Long> before) {
        return ProcessHandle.current().children().filter(p -> !before.contains(p.pid())).findFirst().orElse(null);
    }

    static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.length() > 500 ? m.substring(0, 500) + "…" : m;
    }

    @Override
    public synchronized void close() {
        for (String name : Set.copyOf(live.keySet())) {
            drop(name);
        }
        requests.shutdownNow();
    }
}

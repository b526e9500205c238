package ai.clawbot.testkit.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server speaking the 1Password Connect REST API as documented (and as the official
 * {@code @1password/connect} SDK calls it): {@code GET /heartbeat}, {@code /v1/vaults}, {@code /v1/vaults/{id}},
 * {@code /v1/vaults/{id}/items[?filter=title eq|co "…"]} (summaries, no fields), {@code /v1/vaults/{id}/items/{id}}
 * (the whole item), {@code Authorization: Bearer <token>} else 401 {@code {status, message}}. It records each
 * request line and its Authorization header, so a test can check what a client sent.
 */
public final class LocalConnectServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FILTER = Pattern.compile("title (eq|co) \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One request as it arrived: method, path with query (decoded), the Authorization header. */
    public record Request(String method, String pathAndQuery, String authorization) {
    }

    /** A field of an item; {@code sectionId} may be null. */
    public record Field(String id, String label, String type, String value, String sectionId) {
        public static Field of(String label, String type, String value) {
            return new Field(newId(), label, type, value, null);
        }

        public Field in(String section) {
            return new Field(id, label, type, value, section);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, ObjectNode> vaults = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ObjectNode>> items = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String token;

    private LocalConnectServer(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Starts on a free loopback port accepting {@code token}. */
    public static LocalConnectServer start(String token) throws IOException {
        return new LocalConnectServer(token);
    }

    /** A 26-character id as 1Password makes them. */
    public static String newId() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            b.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
        }
        return b.toString();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The token the server accepts from now on. */
    public void acceptToken(String newToken) {
        this.token = newToken;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Adds a vault; returns its id. */
    public String addVault(String name) {
        String id = newId();
        vaults.put(id, JSON.createObjectNode().put("id", id).put("name", name).put("description", name + " vault")
                .put("attributeVersion", 1).put("contentVersion", 1).put("type", "USER_CREATED"));
        items.put(id, new ConcurrentHashMap<>());
        return id;
    }

    /** Adds an item with these sections ({id: label}) and fields; returns its id. */
    public String addItem(String vaultId, String title, String category, Map<String, String> sections, List<Field> fields) {
        String id = newId();
        ObjectNode item = JSON.createObjectNode().put("id", id).put("title", title).put("category", category).put("version", 1);
        item.putObject("vault").put("id", vaultId);
        ArrayNode s = item.putArray("sections");
        sections.forEach((sid, label) -> s.addObject().put("id", sid).put("label", label));
        ArrayNode f = item.putArray("fields");
        for (Field field : fields) {
            ObjectNode n = f.addObject().put("id", field.id()).put("type", field.type()).put("label", field.label())
                    .put("value", field.value());
            if ("password".equals(field.label()) || "username".equals(field.label())) {
                n.put("purpose", field.label().toUpperCase());
            }
            if (field.sectionId() != null) {
                n.putObject("section").put("id", field.sectionId());
            }
        }
        items.get(vaultId).put(id, item);
        return id;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String decodedQuery = query == null ? null : URLDecoder.decode(query, StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), raw + (decodedQuery == null ? "" : "?" + decodedQuery), auth));
            if (raw.equals("/heartbeat")) {
                send(exchange, 200, ".", "text/plain");
                return;
            }
            if (!("Bearer " + token).equals(auth)) {
                error(exchange, 401, "Invalid bearer token");
                return;
            }
            String[] p = raw.split("/");
            // "", "v1", "vaults", {vault}, "items", {item}
            if (p.length < 3 || !p[1].equals("v1") || !p[2].equals("vaults") || !exchange.getRequestMethod().equals("GET")) {
                error(exchange, 404, "Not found");
                return;
            }
            if (p.length == 3) {
                ArrayNode out = JSON.createArrayNode();
                vaults.values().forEach(out::add);
                send(exchange, 200, out.toString(), "application/json");
                return;
            }
            ObjectNode vault = vaults.get(p[3]);
            if (vault == null) {
                error(exchange, 404, "vault " + p[3] + " not found");
                return;
            }
            if (p.length == 4) {
                send(exchange, 200, vault.toString(), "application/json");
                return;
            }
            Map<String, ObjectNode> inVault = items.get(p[3]);
            if (p.length == 5 && p[4].equals("items")) {
                ArrayNode out = JSON.createArrayNode();
                Matcher m = decodedQuery == null ? null : FILTER.matcher(decodedQuery.replaceFirst("^filter=", ""));
                if (decodedQuery != null && !m.matches()) {
                    error(exchange, 400, "Invalid filter");
                    return;
                }
                for (ObjectNode item : inVault.values()) {
                    String title = item.path("title").asText();
                    if (m != null) {
                        String want = m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
                        boolean hit = m.group(1).equals("eq") ? title.equals(want)
                                : title.toLowerCase().contains(want.toLowerCase());
                        if (!hit) {
                            continue;
                        }
                    }
                    ObjectNode summary = item.deepCopy();
                    summary.remove("fields");
                    summary.remove("sections");
                    out.add(summary);
                }
                send(exchange, 200, out.toString(), "application/json");
                return;
            }
            if (p.length == 6 && p[4].equals("items")) {
                JsonNode item = inVault.get(p[5]);
                if (item == null) {
                    error(exchange, 404, "item " + p[5] + " not found");
                    return;
                }
                send(exchange, 200, item.toString(), "application/json");
                return;
            }
            error(exchange, 404, "Not found");
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON.createObjectNode().put("status", status).put("message", message).toString(), "application/json");
    }

    private static void send(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, b.length);
        exchange.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

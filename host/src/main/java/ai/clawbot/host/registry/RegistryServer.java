package ai.clawbot.host.registry;

import ai.clawbot.signing.RegistryIndex;
import ai.clawbot.signing.SemVer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Serves a registry folder over HTTP: the signed index, the jars and their signatures as static files, and the
 * read-only subset of ClawHub's API ({@code /.well-known/clawhub.json}, {@code /api/v1/search},
 * {@code /api/v1/skills/{slug}} (+ {@code /versions}) and {@code /api/v1/download}) so ClawHub's own clients can
 * search and fetch. The API answers from the index on disk, read per request, so a publish shows at once. Clients
 * of ours never trust the API: they verify the signed index and the jar bytes.
 */
public final class RegistryServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private final WebServer server;

    private RegistryServer(WebServer server) {
        this.server = server;
    }

    /** Starts serving {@code dir} on {@code host:port} (port 0: any free port). */
    public static RegistryServer start(Path dir, String host, int port) {
        RegistryFolder folder = RegistryFolder.at(dir);
        WebServer server = WebServer.builder().host(host).port(port)
                .routing(r -> routing(r, folder)).build().start();
        return new RegistryServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    static void routing(HttpRouting.Builder r, RegistryFolder folder) {
        r.get("/.well-known/clawhub.json", (req, res) -> json(res, JSON.createObjectNode().put("apiBase", base(req))))
                .get("/.well-known/clawdhub.json", (req, res) -> json(res, JSON.createObjectNode().put("apiBase", base(req))))
                .get("/api/v1/search", (req, res) -> search(folder, req, res))
                .get("/api/v1/download", (req, res) -> download(folder, req, res))
                .get("/api/v1/skills/{slug}/versions", (req, res) -> versions(folder, req, res))
                .get("/api/v1/skills/{slug}", (req, res) -> skill(folder, req, res))
                .get("/{file}", (req, res) -> file(folder, req.path().pathParameters().get("file"), res))
                .any((req, res) -> notFound(res, "not found"));
    }

    private static String base(ServerRequest req) {
        String host = req.headers().first(HeaderNames.HOST).orElse(req.localPeer().host() + ":" + req.localPeer().port());
        return "http://" + host;
    }

    private static List<RegistryIndex.Entry> entries(Optional<RegistryIndex> index) {
        return index.map(RegistryIndex::plugins).orElse(List.of());
    }

    /** The newest version of each plugin id. */
    static List<RegistryIndex.Entry> latest(List<RegistryIndex.Entry> all) {
        return all.stream().filter(e -> SemVer.isValid(e.version()))
                .collect(java.util.stream.Collectors.groupingBy(RegistryIndex.Entry::id, java.util.TreeMap::new,
                        java.util.stream.Collectors.maxBy(Comparator.comparing(e -> SemVer.parse(e.version())))))
                .values().stream().flatMap(Optional::stream).toList();
    }

    /** How well an entry matches a query: id match first, then description and tool names; 0 = no match. */
    static double score(RegistryIndex.Entry e, String query) {
        String q = query.toLowerCase(Locale.ROOT).trim();
        if (q.isEmpty()) {
            return 0.1;
        }
        double s = 0;
        for (String term : q.split("\\s+")) {
            if (e.id().equals(term)) {
                s += 3;
            } else if (e.id().contains(term)) {
                s += 2;
            }
            if (e.description() != null && e.description().toLowerCase(Locale.ROOT).contains(term)) {
                s += 1;
            }
            if (e.tools() != null && e.tools().stream().anyMatch(t -> t.name().toLowerCase(Locale.ROOT).contains(term))) {
                s += 0.5;
            }
        }
        return s;
    }

    private static void search(RegistryFolder folder, ServerRequest req, ServerResponse res) throws IOException {
        String q = req.query().first("q").orElse("");
        int limit = limit(req.query().first("limit").orElse("25"));
        boolean exact = req.query().first("mode").map("exact"::equals).orElse(false);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        latest(entries(folder.index())).stream()
                .map(e -> java.util.Map.entry(e, exact ? (e.id().equals(q) ? 3.0 : 0.0) : score(e, q)))
                .filter(m -> m.getValue() > 0)
                .sorted(java.util.Map.Entry.<RegistryIndex.Entry, Double>comparingByValue().reversed()
                        .thenComparing(m -> m.getKey().id()))
                .limit(limit)
                .forEach(m -> {
                    RegistryIndex.Entry e = m.getKey();
                    results.addObject().put("slug", e.id()).put("displayName", e.id()).put("summary", e.description())
                            .put("version", e.version()).put("score", m.getValue()).put("source", "clawhub");
                });
        json(res, out);
    }

    private static int limit(String s) {
        try {
            return Math.max(1, Math.min(200, Integer.parseInt(s)));
        } catch (NumberFormatException e) {
            return 25;
        }
    }

    private static void skill(RegistryFolder folder, ServerRequest req, ServerResponse res) throws IOException {
        String slug = req.path().pathParameters().get("slug");
        Optional<RegistryIndex> index = folder.index(); // read once per request
        List<RegistryIndex.Entry> all = entries(index).stream().filter(e -> e.id().equals(slug)).toList();
        Optional<RegistryIndex.Entry> newest = latest(all).stream().findFirst();
        if (newest.isEmpty()) {
            notFound(res, "no skill '" + slug + "'");
            return;
        }
        RegistryIndex.Entry e = newest.get();
        long at = generatedAt(index);
        ObjectNode out = JSON.createObjectNode();
        ObjectNode skill = out.putObject("skill").put("slug", e.id()).put("displayName", e.id())
                .put("summary", e.description()).put("description", e.description()).put("createdAt", at).put("updatedAt", at);
        skill.putObject("tags").put("latest", e.version());
        skill.putObject("stats");
        out.putObject("latestVersion").put("version", e.version()).put("createdAt", at).put("changelog", "").putNull("license");
        out.putObject("owner").putNull("handle").put("displayName", "key " + e.keyId());
        out.putNull("moderation");
        // What our own clients and reviewers read: the signed index entry, verbatim.
        out.set("clawbot", JSON.valueToTree(e));
        json(res, out);
    }

    private static void versions(RegistryFolder folder, ServerRequest req, ServerResponse res) throws IOException {
        String slug = req.path().pathParameters().get("slug");
        Optional<RegistryIndex> index = folder.index(); // read once per request
        long at = generatedAt(index);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode items = out.putArray("items");
        entries(index).stream().filter(e -> e.id().equals(slug) && SemVer.isValid(e.version()))
                .sorted(Comparator.comparing((RegistryIndex.Entry e) -> SemVer.parse(e.version())).reversed())
                .forEach(e -> items.addObject().put("version", e.version()).put("createdAt", at).put("changelog", ""));
        out.putNull("nextCursor");
        if (items.isEmpty()) {
            notFound(res, "no skill '" + slug + "'");
            return;
        }
        json(res, out);
    }

    private static void download(RegistryFolder folder, ServerRequest req, ServerResponse res) throws IOException {
        String slug = req.query().first("slug").orElse("");
        Optional<String> version = req.query().first("version").asOptional();
        List<RegistryIndex.Entry> all = entries(folder.index()).stream().filter(e -> e.id().equals(slug)).toList();
        Optional<RegistryIndex.Entry> e = version.isPresent()
                ? all.stream().filter(x -> x.version().equals(version.get())).findFirst()
                : latest(all).stream().findFirst();
        if (e.isEmpty()) {
            notFound(res, "no skill '" + slug + "'" + version.map(v -> " version " + v).orElse(""));
            return;
        }
        // A plugin jar is a zip: ClawHub's clients can unpack it; ours verify it instead.
        send(folder.dir().resolve(e.get().path()), "application/zip", res);
    }

    private static void file(RegistryFolder folder, String name, ServerResponse res) throws IOException {
        if (name == null || !name.matches(FILE_NAME)
                || !(name.equals(RegistryFolder.INDEX) || name.equals(RegistryFolder.INDEX_SIG)
                || name.endsWith(".jar") || name.endsWith(".jar.sig"))) {
            notFound(res, "not found");
            return;
        }
        send(folder.dir().resolve(name), name.endsWith(".jar") ? "application/java-archive" : "application/json", res);
    }

    private static void send(Path file, String type, ServerResponse res) throws IOException {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            notFound(res, "not found");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(Files.readAllBytes(file));
    }

    private static long generatedAt(Optional<RegistryIndex> index) {
        return index.map(i -> Instant.parse(i.generatedAt()).toEpochMilli()).orElse(0L);
    }

    private static void json(ServerResponse res, ObjectNode body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(body.toString());
    }

    private static void notFound(ServerResponse res, String message) {
        res.status(Status.NOT_FOUND_404);
        json(res, JSON.createObjectNode().put("error", message));
    }
}

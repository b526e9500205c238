package ai.clawbot.plugin.onepassword;

import ai.clawbot.plugin.onepassword.ConnectException.Code;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A client of the 1Password Connect REST API ({@code /v1/vaults}, {@code /v1/vaults/{v}/items?filter=title eq "…"},
 * {@code /v1/vaults/{v}/items/{i}}; {@code Authorization: Bearer <token>}), and the one place
 * an {@code op://} reference becomes a value, for the 1Password skill in its sandbox and for the gateway's own
 * credentials. No message it produces holds the token or a field's value.
 */
public final class ConnectClient {

    /** Longest a list of items is read for (list_items reads each item's field labels). */
    public static final int MAX_ITEMS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 200;

    /** A vault as listed. */
    public record Vault(String id, String name, String description) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final Duration deadline;
    private final Clock clock;

    private ConnectClient(HttpClient http, String baseUrl, String token, Duration deadline, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.deadline = deadline;
        this.clock = clock;
    }

    /**
     * A client of the Connect server at {@code baseUrl} (http or https, no path beyond {@code /}).
     *
     * @param proxy    the sandbox's egress proxy ({@code ProxyEnv}), or {@link HttpClient.Builder#proxy default}
     *                 none when null
     * @throws IllegalArgumentException for a URL that is not http(s) or an empty token
     */
    public static ConnectClient create(String baseUrl, String token, ProxySelector proxy, Duration deadline) {
        return create(baseUrl, token, proxy, deadline, Clock.systemUTC());
    }

    public static ConnectClient create(String baseUrl, String token, ProxySelector proxy, Duration deadline, Clock clock) {
        Objects.requireNonNull(deadline, "deadline");
        String base = checkUrl(baseUrl);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the 1Password Connect token is empty");
        }
        if (token.strip().chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("the 1Password Connect token holds characters a token cannot have");
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER);
        if (proxy != null) {
            b.proxy(proxy);
        }
        return new ConnectClient(b.build(), base, token.strip(), deadline, clock);
    }

    /** The URL without a trailing slash. @throws IllegalArgumentException when it is not an http(s) URL */
    public static String checkUrl(String baseUrl) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(baseUrl, "the 1Password Connect URL is not set").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the 1Password Connect URL is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("the 1Password Connect URL must be http(s)://host[:port] (got '" + baseUrl + "')");
        }
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code GET /v1/vaults}. */
    public List<Vault> vaults() throws ConnectException {
        JsonNode list = get("/v1/vaults", "listing vaults");
        if (!list.isArray()) {
            throw new ConnectException(Code.BAD_RESPONSE, "the Connect server's vault list is not a JSON array");
        }
        List<Vault> out = new ArrayList<>();
        list.forEach(v -> out.add(new Vault(v.path("id").asText(), v.path("name").asText(), v.path("description").asText(""))));
        return out;
    }

    /** The vault whose id or name is {@code nameOrId} (an id wins; a name must be unique). */
    public Vault vault(String nameOrId) throws ConnectException {
        List<Vault> all = vaults();
        for (Vault v : all) {
            if (v.id().equals(nameOrId)) {
                return v;
            }
        }
        return one(all.stream().filter(v -> v.name().equals(nameOrId)).toList(), "vault '" + nameOrId + "'",
                all.stream().filter(v -> v.name().equalsIgnoreCase(nameOrId)).toList());
    }

    /**
     * {@code GET /v1/vaults/{v}/items[?filter=title co "query"]}: item summaries (id, title, category; no fields).
     */
    public List<JsonNode> items(String vaultId, String titleContains) throws ConnectException {
        String path = "/v1/vaults/" + segment(vaultId) + "/items";
        if (titleContains != null && !titleContains.isBlank()) {
            path += "?filter=" + URLEncoder.encode("title co " + quote(titleContains), StandardCharsets.UTF_8).replace("+", "%20");
        }
        JsonNode list = get(path, "listing items");
        if (!list.isArray()) {
            throw new ConnectException(Code.BAD_RESPONSE, "the Connect server's item list is not a JSON array");
        }
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    /** {@code GET /v1/vaults/{v}/items/{i}}: the whole item, field values included. */
    public JsonNode item(String vaultId, String itemId) throws ConnectException {
        return get("/v1/vaults/" + segment(vaultId) + "/items/" + segment(itemId), "reading an item");
    }

    /** The item whose id or title is {@code titleOrId} in that vault. */
    public JsonNode item(Vault vault, String titleOrId) throws ConnectException {
        if (SecretReference.isId(titleOrId)) {
            try {
                return item(vault.id(), titleOrId);
            } catch (ConnectException e) {
                if (e.code() != Code.NOT_FOUND) {
                    throw e;
                }
            }
        }
        String filter = URLEncoder.encode("title eq " + quote(titleOrId), StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode list = get("/v1/vaults/" + segment(vault.id()) + "/items?filter=" + filter, "finding an item");
        List<JsonNode> matches = new ArrayList<>();
        list.forEach(i -> {
            if (i.path("title").asText().equals(titleOrId)) {
                matches.add(i);
            }
        });
        JsonNode summary = one(matches, "item '" + titleOrId + "' in vault '" + vault.name() + "'", List.of());
        return item(vault.id(), summary.path("id").asText());
    }

    /**
     * The value a reference names: the field's value, or with {@code ?attribute=otp} the current code computed
     * from the OTP field's secret.
     */
    public String resolve(SecretReference ref) throws ConnectException {
        Vault vault = vault(ref.vault());
        JsonNode item = item(vault, ref.item());
        String where = "'" + ref + "'";
        String sectionId = null;
        if (ref.section() != null) {
            List<JsonNode> sections = new ArrayList<>();
            item.path("sections").forEach(sections::add);
            JsonNode s = match(sections, ref.section(), "section '" + ref.section() + "' of " + where);
            sectionId = s.path("id").asText();
        }
        List<JsonNode> fields = new ArrayList<>();
        for (JsonNode f : item.path("fields")) {
            if (sectionId == null || sectionId.equals(f.path("section").path("id").asText(null))) {
                fields.add(f);
            }
        }
        JsonNode field = match(fields, ref.field(), "field '" + ref.field() + "' of " + where);
        switch (ref.attribute()) {
            case "type":
                return field.path("type").asText();
            case "id":
                return field.path("id").asText();
            case "label":
                return field.path("label").asText();
            case "otp":
                if (!"OTP".equalsIgnoreCase(field.path("type").asText())) {
                    throw new ConnectException(Code.BAD_REFERENCE, where + " asks for a one-time code, but that field is of type "
                            + field.path("type").asText("?") + ", not OTP");
                }
                try {
                    return Totp.code(field.path("value").asText(""), clock.instant());
                } catch (IllegalArgumentException e) {
                    throw new ConnectException(Code.BAD_RESPONSE, where + ": " + e.getMessage());
                }
            default:
                if (!field.hasNonNull("value")) {
                    throw new ConnectException(Code.NOT_FOUND, "field '" + ref.field() + "' of " + where + " has no value");
                }
                return field.path("value").asText();
        }
    }

    /** By id, else by label (exact, then ignoring case); more than one is an error, not a guess. */
    private static JsonNode match(List<JsonNode> nodes, String labelOrId, String what) throws ConnectException {
        for (JsonNode n : nodes) {
            if (n.path("id").asText().equals(labelOrId)) {
                return n;
            }
        }
        Predicate<JsonNode> exact = n -> n.path("label").asText().equals(labelOrId);
        Predicate<JsonNode> loose = n -> n.path("label").asText().equalsIgnoreCase(labelOrId);
        List<JsonNode> found = nodes.stream().filter(exact).toList();
        return one(found, what, nodes.stream().filter(loose).toList());
    }

    private static <T> T one(List<T> exact, String what, List<T> loose) throws ConnectException {
        List<T> found = exact.isEmpty() ? loose : exact;
        if (found.isEmpty()) {
            throw new ConnectException(Code.NOT_FOUND, "no " + what);
        }
        if (found.size() > 1) {
            throw new ConnectException(Code.AMBIGUOUS, found.size() + " matches for " + what + "; refer to it by its id");
        }
        return found.get(0);
    }

    private JsonNode get(String path, String doing) throws ConnectException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(deadline)
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ConnectException(Code.UNREACHABLE, "the 1Password Connect server at " + baseUrl
                    + " did not answer within " + deadline.toMillis() + " ms (" + doing + ")");
        } catch (IOException e) {
            throw new ConnectException(Code.UNREACHABLE, "cannot reach the 1Password Connect server at " + baseUrl
                    + " (" + doing + "): " + scrub(String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException(Code.UNREACHABLE, "interrupted while " + doing);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        int status = response.statusCode();
        if (status == 200) {
            if (json == null) {
                throw new ConnectException(Code.BAD_RESPONSE, "the 1Password Connect server answered " + doing + " with something that is not JSON");
            }
            return json;
        }
        String detail = json == null ? "" : scrub(json.path("message").asText(""));
        detail = detail.isEmpty() ? "" : ": " + (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
        if (status == 401 || status == 403) {
            throw new ConnectException(Code.UNAUTHORIZED, "the 1Password Connect server refused the token (HTTP " + status
                    + ", " + doing + ")" + detail + "; check the vault secret holding the Connect token");
        }
        if (status == 502 || status == 503 || status == 504) {
            // Through the sandbox's egress proxy a server that is down answers as a gateway error.
            throw new ConnectException(Code.UNREACHABLE, "the 1Password Connect server at " + baseUrl
                    + " is unreachable (HTTP " + status + " on the way there, " + doing + ")");
        }
        if (status == 404) {
            throw new ConnectException(Code.NOT_FOUND, "not found (" + doing + ")" + detail);
        }
        throw new ConnectException(Code.BAD_RESPONSE, "the 1Password Connect server answered HTTP " + status + " (" + doing + ")" + detail);
    }

    /** A server may echo the token; it never reaches a message. */
    private String scrub(String text) {
        return text == null ? "" : text.replace(token, "***");
    }

    private static String segment(String id) throws ConnectException {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ConnectException(Code.BAD_RESPONSE, "an id from the Connect server is not an id");
        }
        return id;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

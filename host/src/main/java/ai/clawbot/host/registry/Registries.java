package ai.clawbot.host.registry;

import ai.clawbot.signing.Keys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registries an operator configured, under {@code trust/registries/<name>.json}: a base URL and the key(s)
 * trusted to sign that registry's index. Those keys vouch for an index only: a plugin must still be signed by a
 * publisher key of the trust store. Beside each, {@code <name>.state.json} remembers the highest serial seen.
 */
public final class Registries {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "[a-z0-9][a-z0-9._-]{0,63}";

    private final Path dir;

    private Registries(Path dir) {
        this.dir = dir;
    }

    public static Registries open(Path trustDir) {
        return new Registries(trustDir.resolve("registries"));
    }

    /** One configured registry. */
    public record Registry(String name, URI url, List<PublicKey> keys, Path stateFile) {
        public Registry {
            keys = List.copyOf(keys);
        }

        public List<String> keyIds() {
            return keys.stream().map(Keys::keyId).toList();
        }
    }

    public Registry add(String name, String url, List<PublicKey> keys) throws IOException {
        if (name == null || !name.matches(NAME)) {
            throw new IllegalArgumentException("bad registry name '" + name + "': lowercase letters, digits, '.', '-', '_'");
        }
        URI u;
        try {
            u = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad registry URL '" + url + "'");
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("a registry URL must be http(s)://host[:port]/..., got '" + url + "'");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a registry needs at least one index key (--key PUB.pem)");
        }
        Files.createDirectories(dir);
        ObjectNode o = JSON.createObjectNode().put("url", u.toString());
        keys.forEach(k -> o.withArray("keys").add(Keys.publicPem(k)));
        ai.clawbot.signing.AtomicFiles.replace(dir.resolve(name + ".json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        return get(name).orElseThrow();
    }

    public boolean remove(String name) throws IOException {
        return name.matches(NAME) && Files.deleteIfExists(dir.resolve(name + ".json"));
    }

    public Optional<Registry> get(String name) throws IOException {
        if (name == null || !name.matches(NAME)) {
            return Optional.empty();
        }
        Path f = dir.resolve(name + ".json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        var node = JSON.readTree(f.toFile());
        List<PublicKey> keys = new ArrayList<>();
        for (var k : node.path("keys")) {
            try {
                keys.add(Keys.readPublic(k.asText()));
            } catch (GeneralSecurityException e) {
                throw new IOException(f + ": unreadable index key: " + e.getMessage());
            }
        }
        return Optional.of(new Registry(name, URI.create(node.path("url").asText()), keys, dir.resolve(name + ".state.json")));
    }

    public List<Registry> all() throws IOException {
        List<Registry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            ds.forEach(p -> {
                String f = p.getFileName().toString();
                if (!f.endsWith(".state.json")) {
                    names.add(f.substring(0, f.length() - 5));
                }
            });
        }
        names.sort(String::compareTo);
        for (String n : names) {
            get(n).ifPresent(out::add);
        }
        return out;
    }
}

package ai.clawbot.signing;

import ai.clawbot.plugin.manifest.NetworkGrant;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A registry's signed list of plugins. {@code serial} only grows (rollback protection); {@code expiresAt}
 * bounds how long a mirror can keep serving a stale index (freeze protection).
 */
public record RegistryIndex(String format, long serial, String generatedAt, String expiresAt, List<Entry> plugins) {

    public static final String FORMAT = "clawbot-registry-index/1";

    public RegistryIndex {
        plugins = List.copyOf(plugins);
    }

    /**
     * One plugin: where to get it and what it must hash to ({@code signature} is its .sig file, base64), and what
     * a reviewer needs without downloading it: description, image, tools with effects, permissions, network and
     * grants, and the manifest's hash. Installing refuses a jar whose manifest says anything else.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String id, String version, String jarSha256, String keyId, String signature, String path,
                        String description, String image, String manifestSha256, List<Tool> tools, Access permissions,
                        Network network) {

        /** The same entry served from {@code path}. */
        public Entry withPath(String path) {
            return new Entry(id, version, jarSha256, keyId, signature, path, description, image, manifestSha256, tools,
                    permissions, network);
        }

        /** The entry without the reviewer fields (indexes written before they existed). */
        public Entry(String id, String version, String jarSha256, String keyId, String signature, String path) {
            this(id, version, jarSha256, keyId, signature, path, null, null, null, null, null, null);
        }

        /** Everything the entry claims about the plugin, minus where it is stored: must equal what the jar says. */
        @JsonIgnore
        public Entry claims() {
            return new Entry(id, version, jarSha256, keyId, null, null, description, image, manifestSha256, tools,
                    permissions, network);
        }
    }

    public record Tool(String name, String effect, String description) {
    }

    public record Access(String workspace, List<String> secrets) {
        public Access {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }
    }

    public record Network(List<String> allow, List<NetworkGrant> grants) {
        public Network {
            allow = allow == null ? List.of() : List.copyOf(allow);
            grants = grants == null ? List.of() : List.copyOf(grants);
        }
    }
}

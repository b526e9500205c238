package ai.clawbot.host.gateway;

import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.Loaded;
import ai.clawbot.host.config.Snapshot;
import ai.clawbot.host.gateway.auth.BindPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves what the gateway listens with from {@code openclaw.json} (validated by {@link ConfigStore}), flags and
 * environment; on first run saves a generated gateway token (owner-only, atomically).
 */
public final class ConfigFile {

    private static final System.Logger LOG = System.getLogger(ConfigFile.class.getName());

    private ConfigFile() {
    }

    /** Thrown when the config cannot be used; the message says exactly why. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }

    /**
     * Loads the config: the file when valid; else its last-known-good copy with a loud warning naming the
     * problem; else a refusal naming it. Never half a config.
     */
    static Snapshot load(ConfigStore store) throws ai.clawbot.host.config.ConfigException {
        if (store.load() instanceof Loaded.LastKnownGood lkg) {
            String banner = "!".repeat(72);
            LOG.log(System.Logger.Level.WARNING, "\n" + banner + "\n" + store.file() + " is broken: " + lkg.problem().getMessage()
                    + "\nRunning on the last-known-good copy " + store.lastKnownGoodFile()
                    + " until the file is fixed.\n" + banner);
        }
        return store.current();
    }

    /**
     * Resolves the gateway configuration. Port: {@code --port}, then {@code OPENCLAW_GATEWAY_PORT}, then
     * {@code gateway.port}, then 18789. Bind: {@code gateway.bind} ({@code loopback} by default). Token:
     * {@code OPENCLAW_GATEWAY_TOKEN}, then {@code gateway.auth.token}, else generated and saved.
     */
    public static GatewayConfig resolve(StateDir state, Map<String, String> env, Integer portFlag)
            throws IOException, ConfigException {
        state.ensureRoot();
        ConfigStore store = ConfigStore.open(state);
        Snapshot snap;
        try {
            snap = load(store);
        } catch (ai.clawbot.host.config.ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
        JsonNode gateway = snap.config().path("gateway");
        int port = portFlag != null ? portFlag
                : env.containsKey("OPENCLAW_GATEWAY_PORT") ? parsePort(env.get("OPENCLAW_GATEWAY_PORT"), "OPENCLAW_GATEWAY_PORT")
                : gateway.path("port").asInt(GatewayConfig.DEFAULT_PORT);
        String bind;
        try {
            bind = BindPolicy.resolveBind(gateway.path("bind").asText("loopback")).getHostAddress();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("gateway.bind: " + e.getMessage());
        }
        if ("none".equals(gateway.path("auth").path("mode").asText("token"))) {
            throw new ConfigException("gateway.auth.mode 'none' is not supported: the gateway always requires its token "
                    + "(remove gateway.auth.mode or set it to 'token')");
        }
        String token = Optional.ofNullable(env.get("OPENCLAW_GATEWAY_TOKEN")).filter(t -> !t.isBlank())
                .orElseGet(() -> gateway.path("auth").path("token").asText(null));
        if (token == null) {
            String generated = generateToken();
            try {
                store.initialize(c -> {
                    c.with("gateway").with("auth").put("mode", "token").put("token", generated);
                    return c;
                });
            } catch (ai.clawbot.host.config.ConfigException e) {
                throw new ConfigException("cannot save a generated token: " + e.getMessage());
            }
            token = generated;
        }
        try {
            return new GatewayConfig(bind, port, token, state);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static int parsePort(String s, String source) throws ConfigException {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + "='" + s + "' is not a port number (1-65535)");
        }
    }

    private static String generateToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

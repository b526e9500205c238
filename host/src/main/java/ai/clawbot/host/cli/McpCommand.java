package ai.clawbot.host.cli;

import ai.clawbot.host.config.ConfigStore;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.mcp.McpProvisioner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code claw mcp}: the MCP servers the mcporter skill may use ({@code plugins.entries.mcporter.config.mcpServers}).
 * {@code add --npm} provisions a stdio server's package on the host (the sandbox has no network to fetch it);
 * {@code add --url} configures a streamable-HTTP server and grants its endpoint. Exit codes: 0 done, 1 failed, 2 bad input.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "MCP servers for the mcporter skill (plugins.entries.mcporter.config.mcpServers; code in $OPENCLAW_STATE_DIR/mcp).",
        subcommands = {McpCommand.Add.class, McpCommand.ListServers.class, McpCommand.Remove.class})
public final class McpCommand {

    static final String SKILL = "mcporter";
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public McpCommand() {
        this(System.getenv(), System.out, System.err);
    }

    /** For tests and embedding: this environment ({@code OPENCLAW_STATE_DIR}, {@code CLAW_NPM}) and these streams. */
    public McpCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
    }

    StateDir state() {
        return StateDir.fromEnvironment(env);
    }

    McpProvisioner provisioner() {
        String npm = env.getOrDefault("CLAW_NPM", "npm");
        return new McpProvisioner(state().root().resolve("mcp"), List.of(npm.split(" ")));
    }

    ConfigStore config() {
        return ConfigStore.open(state().configFile());
    }

    int fail(int code, String message) {
        err.println("claw: " + message);
        return code;
    }

    static ObjectNode skillConfig(ObjectNode whole) {
        return whole.withObject("/plugins").withObject("/entries").withObject("/" + SKILL).withObject("/config");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add an MCP server for the mcporter skill.",
            "--npm PACKAGE[@VERSION]: install it on the host into $OPENCLAW_STATE_DIR/mcp/NAME (npm, install scripts off; "
                    + "exact version and integrity recorded), mounted read-only into the sandbox; it runs there over stdio.",
            "--url URL: a streamable-HTTP server, reached through the egress proxy; its endpoint is granted (http_allow).",
            "Example: claw mcp add everything --npm @modelcontextprotocol/server-everything@2026.8.31 -- stdio"})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        McpCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "The server's name (the agent calls it by this).")
        String name;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the server's command (after --).")
        List<String> args = new ArrayList<>();

        @Option(names = "--npm", paramLabel = "PACKAGE[@VERSION]", description = "An npm package to provision.")
        String npm;

        @Option(names = "--url", paramLabel = "URL", description = "A streamable-HTTP MCP endpoint, e.g. http://127.0.0.1:3001/mcp.")
        String url;

        @Option(names = "--offline", description = "Install from npm's local cache only (no network).")
        boolean offline;

        @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable for this server's process (repeatable).")
        Map<String, String> serverEnv = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            if ((npm == null) == (url == null)) {
                return parent.fail(2, "give exactly one of --npm PACKAGE or --url URL");
            }
            if (!McpProvisioner.NAME.matcher(name).matches()) {
                return parent.fail(2, "server name must match " + McpProvisioner.NAME.pattern());
            }
            ConfigStore store = parent.config();
            JsonNode existing = skillConfig(store.inspect()).path("mcpServers").path(name);
            if (!existing.isMissingNode()) {
                return parent.fail(1, "an MCP server named '" + name + "' is configured already; remove it first: claw mcp remove " + name);
            }
            ObjectNode entry = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            if (npm != null) {
                McpProvisioner.Installed in;
                try {
                    parent.out.println("installing " + npm + " into " + parent.provisioner().folder(name) + " …");
                    in = parent.provisioner().install(name, npm, offline, parent.out);
                } catch (IllegalArgumentException e) {
                    return parent.fail(2, e.getMessage());
                } catch (IllegalStateException | java.io.IOException e) {
                    return parent.fail(1, e.getMessage());
                }
                entry.put("command", "node");
                ArrayNode a = entry.putArray("args").add(in.sandboxBin());
                args.forEach(a::add);
                entry.put("cwd", in.sandboxDir());
                entry.putObject("provisioned").put("npm", in.packageName()).put("version", in.version())
                        .put("integrity", in.integrity());
                parent.out.println("installed " + in.packageName() + "@" + in.version() + " (" + in.integrity() + ")");
            } else {
                entry.put("baseUrl", url);
            }
            if (!serverEnv.isEmpty()) {
                ObjectNode e = entry.putObject("env");
                serverEnv.forEach(e::put);
            }
            try {
                store.initialize(whole -> {
                    ObjectNode c = skillConfig(whole);
                    c.withObject("/mcpServers").set(name, entry);
                    if (url != null) {
                        ArrayNode allow = c.has("http_allow") && c.get("http_allow").isArray() ? (ArrayNode) c.get("http_allow")
                                : c.putArray("http_allow");
                        allow.add(url);
                    }
                    return whole;
                });
            } catch (ai.clawbot.host.config.ConfigException e) {
                if (npm != null) {
                    parent.provisioner().remove(name);
                }
                return parent.fail(1, e.getMessage());
            }
            parent.out.println("added MCP server '" + name + "' to plugins.entries.mcporter.config.mcpServers"
                    + (url != null ? " and granted " + url + " (http_allow)" : ""));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the configured MCP servers.")
    static final class ListServers implements Callable<Integer> {
        @ParentCommand
        McpCommand parent;

        @Override
        public Integer call() throws Exception {
            JsonNode servers = skillConfig(parent.config().inspect()).path("mcpServers");
            if (servers.isEmpty()) {
                parent.out.println("no MCP servers (claw mcp add NAME --npm PACKAGE | --url URL)");
                return 0;
            }
            for (Map.Entry<String, JsonNode> e : servers.properties()) {
                JsonNode s = e.getValue();
                String what = s.has("baseUrl") ? "http  " + s.path("baseUrl").asText()
                        : "stdio " + s.path("command").asText() + " " + String.join(" ",
                        new ArrayList<String>() {{ s.path("args").forEach(a -> add(a.asText())); }});
                JsonNode p = s.path("provisioned");
                parent.out.println(e.getKey() + "  " + what.strip()
                        + (p.isMissingNode() ? "" : "  (npm " + p.path("npm").asText() + "@" + p.path("version").asText() + ")"));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an MCP server: its entry, its grant and its provisioned code.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        McpCommand parent;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            if (!McpProvisioner.NAME.matcher(name).matches()) {
                return parent.fail(2, "server name must match " + McpProvisioner.NAME.pattern());
            }
            boolean[] found = {false};
            parent.config().initialize(whole -> {
                if (whole.at("/plugins/entries/" + SKILL + "/config/mcpServers/" + name).isMissingNode()) {
                    return whole; // nothing to remove: the file is left exactly as it is
                }
                ObjectNode c = skillConfig(whole);
                JsonNode gone = c.withObject("/mcpServers").remove(name);
                found[0] = gone != null;
                if (gone != null && gone.has("baseUrl") && c.path("http_allow").isArray()) {
                    ArrayNode allow = (ArrayNode) c.get("http_allow");
                    for (int i = allow.size() - 1; i >= 0; i--) {
                        if (allow.get(i).asText().equals(gone.get("baseUrl").asText())) {
                            allow.remove(i);
                        }
                    }
                }
                return whole;
            });
            boolean files = parent.provisioner().remove(name);
            if (!found[0] && !files) {
                return parent.fail(1, "no MCP server named '" + name + "'");
            }
            parent.out.println("removed MCP server '" + name + "'");
            return 0;
        }
    }
}

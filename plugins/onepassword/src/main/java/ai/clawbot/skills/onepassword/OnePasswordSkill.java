package ai.clawbot.skills.onepassword;

import ai.clawbot.plugin.api.Skill;
import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolHandler;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.fs.ConfinedRoot;
import ai.clawbot.plugin.net.ProxyEnv;
import ai.clawbot.plugin.onepassword.ConnectClient;
import ai.clawbot.plugin.onepassword.ConnectException;
import ai.clawbot.plugin.onepassword.SecretReference;
import ai.clawbot.plugin.onepassword.SecretReferenceException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * 1Password through a Connect server: names only for the listing tools, one approved value for {@code read}, and
 * {@code inject} that writes values into a private workspace file and tells the model only how many. The token is
 * the vault secret {@value #TOKEN_SECRET}, read per call from its file; the server is the operator's grant
 * {@value #URL_SETTING}, reached through the sandbox's egress proxy.
 */
public final class OnePasswordSkill implements Skill {

    static final String TOKEN_SECRET = "OP_CONNECT_TOKEN";
    static final String URL_SETTING = "connect_url";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ProxySelector proxy;

    /** The skill as the tool server creates it: the proxy from this process's environment. */
    public OnePasswordSkill() {
        this(ProxyEnv.of(System.getenv()));
    }

    OnePasswordSkill(ProxySelector proxy) {
        this.proxy = proxy;
    }

    @Override
    public Map<String, ToolHandler> tools() {
        return Map.of("list_vaults", this::listVaults, "list_items", this::listItems, "read", this::read,
                "inject", this::inject);
    }

    private ToolResult listVaults(JsonNode args, ToolContext ctx) throws ToolException {
        List<ConnectClient.Vault> vaults = call(() -> client(ctx).vaults());
        StringBuilder text = new StringBuilder();
        ArrayNode out = NODES.arrayNode();
        for (ConnectClient.Vault v : vaults) {
            text.append(v.name()).append(" (").append(v.id()).append(")\n");
            out.addObject().put("id", v.id()).put("name", v.name());
        }
        return ToolResult.of(vaults.isEmpty() ? "no vaults" : text.toString().strip(), NODES.objectNode().set("vaults", out));
    }

    private ToolResult listItems(JsonNode args, ToolContext ctx) throws ToolException {
        ConnectClient client = client(ctx);
        ConnectClient.Vault vault = call(() -> client.vault(args.path("vault").asText()));
        List<JsonNode> summaries = call(() -> client.items(vault.id(), args.path("query").asText(null)));
        ArrayNode out = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        for (JsonNode s : summaries.subList(0, Math.min(summaries.size(), ConnectClient.MAX_ITEMS))) {
            JsonNode item = call(() -> client.item(vault.id(), s.path("id").asText()));
            // Names only: the item's fields are copied label by label, their values never touched.
            ObjectNode o = out.addObject().put("id", item.path("id").asText()).put("title", item.path("title").asText())
                    .put("category", item.path("category").asText());
            ArrayNode labels = o.putArray("fields");
            item.path("fields").forEach(f -> labels.add(f.path("label").asText(f.path("id").asText())));
            ArrayNode sections = o.putArray("sections");
            item.path("sections").forEach(sec -> {
                if (!sec.path("label").asText("").isEmpty()) {
                    sections.add(sec.path("label").asText());
                }
            });
            text.append(o.path("title").asText()).append(" [").append(o.path("category").asText()).append("] fields: ");
            labels.forEach(l -> text.append(l.asText()).append(", "));
            text.setLength(text.length() - 2);
            text.append('\n');
        }
        if (summaries.size() > ConnectClient.MAX_ITEMS) {
            text.append("(first ").append(ConnectClient.MAX_ITEMS).append(" of ").append(summaries.size()).append(" items)\n");
        }
        ObjectNode structured = NODES.objectNode().put("vault", vault.name());
        structured.set("items", out);
        return ToolResult.of(out.isEmpty() ? "no items in " + vault.name() : text.toString().strip(), structured);
    }

    private ToolResult read(JsonNode args, ToolContext ctx) throws ToolException {
        SecretReference ref = reference(args.path("reference").asText());
        return ToolResult.text(call(() -> client(ctx).resolve(ref)));
    }

    private ToolResult inject(JsonNode args, ToolContext ctx) throws ToolException {
        ConfinedRoot ws = workspace(ctx);
        Templates.Filled filled = Templates.fill(ws, args.path("template").asText(), args.path("output").asText(),
                this::reference, ref -> call(() -> client(ctx).resolve(ref)));
        return ToolResult.of("filled " + filled.placeholders() + " placeholder" + (filled.placeholders() == 1 ? "" : "s")
                        + " (" + filled.references() + " distinct reference" + (filled.references() == 1 ? "" : "s")
                        + ") into " + filled.output() + " (mode 0600)",
                NODES.objectNode().put("output", filled.output()).put("placeholders", filled.placeholders())
                        .put("references", filled.references()));
    }

    private SecretReference reference(String text) throws ToolException {
        try {
            return SecretReference.parse(text);
        } catch (SecretReferenceException e) {
            throw new ToolException("BAD_REFERENCE", e.getMessage());
        }
    }

    private ConnectClient client(ToolContext ctx) throws ToolException {
        String url = ctx.setting(URL_SETTING).filter(s -> !s.isBlank()).orElseThrow(() -> new ToolException("NOT_CONFIGURED",
                "no Connect server: the operator sets plugins.entries.onepassword.config." + URL_SETTING));
        String token;
        try {
            token = ctx.secret(TOKEN_SECRET).map(String::strip).filter(s -> !s.isEmpty()).orElseThrow(() -> new ToolException(
                    "NOT_CONFIGURED", "no Connect token: the operator stores it with claw secrets set " + TOKEN_SECRET));
        } catch (IOException e) {
            throw new ToolException("NOT_CONFIGURED", "cannot read the Connect token's file");
        }
        try {
            return ConnectClient.create(url, token, proxy, DEADLINE);
        } catch (IllegalArgumentException e) {
            throw new ToolException("NOT_CONFIGURED", e.getMessage());
        }
    }

    private static ConfinedRoot workspace(ToolContext ctx) throws ToolException {
        try {
            return ConfinedRoot.open(ctx.workspace(), "workspace");
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "the workspace is not mounted");
        }
    }

    /** A Connect call whose failure becomes the tool's refusal, coded as the client coded it. */
    interface Call<T> {
        T run() throws ConnectException, ToolException;
    }

    static <T> T call(Call<T> c) throws ToolException {
        try {
            return c.run();
        } catch (ConnectException e) {
            throw new ToolException(e.code().name(), e.getMessage());
        }
    }
}

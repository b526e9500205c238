package ai.clawbot.host.policy;

import ai.clawbot.plugin.manifest.Effect;
import ai.clawbot.plugin.manifest.NetworkPolicy;
import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.plugin.manifest.SandboxSpec;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import ai.clawbot.plugin.manifest.WorkspaceAccess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/** Manifests shaped like real skills, and JSON helpers. */
final class PolicyFixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Workspace rw, no secrets, no network; search/read are reads, create writes. */
    static final SkillManifest OBSIDIAN = skill("obsidian", WorkspaceAccess.RW, List.of(), List.of(),
            tool("search", Effect.READ), tool("read", Effect.READ), tool("create", Effect.WRITE));
    /** A different skill whose id starts like obsidian's: a prefix match must not reach it. */
    static final SkillManifest OBSIDIAN_EXTRA = skill("obsidian-extra", WorkspaceAccess.RO, List.of(), List.of(),
            tool("read", Effect.READ));
    /** Mail: a secret, two hosts, no workspace. */
    static final SkillManifest HIMALAYA = skill("himalaya", WorkspaceAccess.NONE, List.of("IMAP_PASSWORD"),
            List.of("imap.example.com:993", "smtp.example.com:465"),
            tool("list", Effect.READ), tool("send", Effect.EXTERNAL));
    /** Three hosts, no workspace, no secrets. */
    static final SkillManifest WEB = skill("web", WorkspaceAccess.NONE, List.of(), List.of("a.example:443",
            "b.example:443", "c.example:443"), tool("fetch", Effect.EXTERNAL));

    static final List<SkillManifest> CATALOG = List.of(OBSIDIAN, OBSIDIAN_EXTRA, HIMALAYA, WEB);

    private PolicyFixtures() {
    }

    static ToolDeclaration tool(String name, Effect effect) {
        return new ToolDeclaration(name, name, JSON.createObjectNode().put("type", "object"), effect);
    }

    static SkillManifest skill(String id, WorkspaceAccess ws, List<String> secrets, List<String> hosts,
                               ToolDeclaration... tools) {
        return new SkillManifest(id, "1.0.0", id, Arrays.asList(tools), new SandboxSpec("clawbot/skill-jre:17"),
                new Permissions(ws, secrets, null), new NetworkPolicy(hosts));
    }

    static ToolRequest request(SkillManifest m, String tool) {
        return ToolRequest.of(m, m.tool(tool).orElseThrow());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static PolicyLayer layer(String name, String json) {
        return PolicyLayer.fromJson(name, json(json));
    }
}

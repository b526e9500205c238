package ai.clawbot.host.gateway;

import ai.clawbot.plugin.manifest.Permissions;
import ai.clawbot.plugin.manifest.SkillManifest;
import ai.clawbot.plugin.manifest.ToolDeclaration;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How a skill is described on the wire (skills.list, plugins.list, plugins.install previews). */
final class SkillJson {

    private SkillJson() {
    }

    static ObjectNode describe(SkillManifest m, String signerKeyId, String signerName, String jarSha256) {
        ObjectNode o = Frames.JSON.createObjectNode()
                .put("id", m.id())
                .put("version", m.version())
                .put("description", m.description())
                .put("image", m.sandbox().image())
                .put("jarSha256", jarSha256);
        o.putObject("signer").put("keyId", signerKeyId).put("name", signerName).put("trusted", true);
        ArrayNode tools = o.putArray("tools");
        for (ToolDeclaration t : m.tools()) {
            if (m.isPreviewTool(t.name())) {
                continue; // only the gateway calls it, before the approval of the tool that names it
            }
            ObjectNode tool = tools.addObject().put("name", t.name()).put("description", t.description())
                    .put("effect", t.effect().wire());
            tool.set("input", t.input());
            t.previewTool().ifPresent(p -> tool.put("approvalPreview", p));
        }
        Permissions p = m.permissions();
        ObjectNode perms = o.putObject("permissions").put("workspace", p.workspace().wire());
        p.secrets().forEach(perms.putArray("secrets")::add);
        perms.set("resources", Frames.JSON.valueToTree(p.resources()));
        o.set("network", Frames.JSON.valueToTree(m.network()));
        m.settingsSchema().ifPresent(schema -> o.set("settings", schema));
        return o;
    }

    /**
     * A loaded skill: as above with its signed allowlist, plus what the operator's configuration grants
     * ({@code granted}: each endpoint, the grant that allows it, allowPrivate) and any problem with that configuration.
     */
    static ObjectNode describe(ai.clawbot.host.skills.LoadedSkill s) {
        ObjectNode o = describe(s.manifest(), s.signerKeyId(), s.signerName(), s.jarSha256());
        var grants = s.config().grants();
        if (o.get("network").isObject()) {
            ObjectNode net = (ObjectNode) o.get("network");
            ArrayNode signed = Frames.JSON.createArrayNode();
            net.path("allow").forEach(a -> {
                if (grants.stream().noneMatch(g -> g.toString().equals(a.asText()))) {
                    signed.add(a);
                }
            });
            if (signed.isEmpty()) {
                net.remove("allow");
            } else {
                net.set("allow", signed);
            }
        }
        ArrayNode granted = o.putArray("granted");
        grants.forEach(g -> granted.addObject().put("endpoint", g.toString()).put("grant", g.name())
                .put("anyHost", g.anyHost()).put("allowPrivate", g.allowPrivate()));
        ArrayNode problems = o.putArray("configProblems");
        s.config().problems().forEach(p -> problems.addObject().put("path", p.path()).put("message", p.message()));
        return o;
    }
}

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
            tools.addObject().put("name", t.name()).put("description", t.description())
                    .put("effect", t.effect().wire()).set("input", t.input());
        }
        Permissions p = m.permissions();
        ObjectNode perms = o.putObject("permissions").put("workspace", p.workspace().wire());
        p.secrets().forEach(perms.putArray("secrets")::add);
        perms.set("resources", Frames.JSON.valueToTree(p.resources()));
        o.set("network", Frames.JSON.valueToTree(m.network()));
        return o;
    }
}

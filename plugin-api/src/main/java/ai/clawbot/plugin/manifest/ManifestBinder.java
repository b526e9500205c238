package ai.clawbot.plugin.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds a manifest tree to {@link SkillManifest} by hand. Jackson's record binding built its deserializers on every
 * gateway start and every sandbox start, the largest single cost of verifying the first plugin (~0.1 s of a 1 s
 * start). Strict like the binding it replaces: an unknown field or a value of the wrong type is an
 * {@link IOException} naming its JSON path; absent fields take the records' defaults.
 */
final class ManifestBinder {

    private ManifestBinder() {
    }

    static SkillManifest bind(JsonNode tree) throws IOException {
        object(tree, "$", Set.of("id", "version", "description", "tools", "sandbox", "permissions", "network", "settings"));
        List<ToolDeclaration> tools = list(tree.get("tools"), "$.tools", ManifestBinder::tool);
        JsonNode sandbox = tree.get("sandbox");
        JsonNode permissions = tree.get("permissions");
        JsonNode network = tree.get("network");
        JsonNode settings = tree.get("settings");
        return new SkillManifest(text(tree, "id", "$"), text(tree, "version", "$"), text(tree, "description", "$"),
                tools == null ? List.of() : tools,
                isAbsent(sandbox) ? null : sandbox(sandbox),
                isAbsent(permissions) ? null : permissions(permissions),
                isAbsent(network) ? null : network(network),
                isAbsent(settings) ? null : settings);
    }

    private static ToolDeclaration tool(JsonNode n, String path) throws IOException {
        object(n, path, Set.of("name", "description", "input", "effect", "examples", "approval"));
        JsonNode effect = n.get("effect");
        JsonNode approval = n.get("approval");
        ToolApproval toolApproval = null;
        if (!isAbsent(approval)) {
            object(approval, path + ".approval", Set.of("preview"));
            String preview = text(approval, "preview", path + ".approval");
            if (preview == null) {
                throw new IOException(path + ".approval.preview: missing");
            }
            toolApproval = new ToolApproval(preview);
        }
        JsonNode input = n.get("input");
        return new ToolDeclaration(text(n, "name", path), text(n, "description", path),
                isAbsent(input) ? null : input,
                isAbsent(effect) ? null : wire(Effect.values(), Effect::wire, effect, path + ".effect"),
                list(n.get("examples"), path + ".examples", (e, p) -> e),
                toolApproval);
    }

    private static SandboxSpec sandbox(JsonNode n) throws IOException {
        object(n, "$.sandbox", Set.of("image", "mounts"));
        return new SandboxSpec(text(n, "image", "$.sandbox"), texts(n.get("mounts"), "$.sandbox.mounts"));
    }

    private static Permissions permissions(JsonNode n) throws IOException {
        object(n, "$.permissions", Set.of("workspace", "secrets", "resources"));
        JsonNode workspace = n.get("workspace");
        JsonNode resources = n.get("resources");
        return new Permissions(
                isAbsent(workspace) ? null
                        : wire(WorkspaceAccess.values(), WorkspaceAccess::wire, workspace, "$.permissions.workspace"),
                texts(n.get("secrets"), "$.permissions.secrets"),
                isAbsent(resources) ? null : resources(resources));
    }

    private static Resources resources(JsonNode n) throws IOException {
        String path = "$.permissions.resources";
        object(n, path, Set.of("memory", "cpus", "pids", "timeout"));
        JsonNode cpus = n.get("cpus");
        JsonNode pids = n.get("pids");
        if (!isAbsent(cpus) && !cpus.isNumber()) {
            throw new IOException(path + ".cpus: expected a number");
        }
        if (!isAbsent(pids) && !pids.canConvertToInt()) {
            throw new IOException(path + ".pids: expected an integer");
        }
        return new Resources(text(n, "memory", path), isAbsent(cpus) ? null : cpus.doubleValue(),
                isAbsent(pids) ? null : pids.intValue(), text(n, "timeout", path));
    }

    private static NetworkPolicy network(JsonNode n) throws IOException {
        if (n.isTextual()) {
            if (!n.asText().equals("none")) {
                throw new IOException("$.network: expected 'none' or an object, not '" + n.asText() + "'");
            }
            return NetworkPolicy.none();
        }
        object(n, "$.network", Set.of("allow", "grants"));
        return new NetworkPolicy(texts(n.get("allow"), "$.network.allow"),
                list(n.get("grants"), "$.network.grants", ManifestBinder::grant));
    }

    private static NetworkGrant grant(JsonNode n, String path) throws IOException {
        object(n, path, Set.of("setting", "ports", "schemes", "description", "anyHost"));
        List<Integer> ports = list(n.get("ports"), path + ".ports", (p, at) -> {
            if (!p.canConvertToInt() || !p.isIntegralNumber()) {
                throw new IOException(at + ": expected a port number");
            }
            return p.intValue();
        });
        JsonNode anyHost = n.get("anyHost");
        if (!isAbsent(anyHost) && !anyHost.isBoolean()) {
            throw new IOException(path + ".anyHost: expected true or false");
        }
        return new NetworkGrant(text(n, "setting", path), ports, texts(n.get("schemes"), path + ".schemes"),
                text(n, "description", path), !isAbsent(anyHost) && anyHost.booleanValue());
    }

    /** A field binder that may refuse its node. */
    private interface Element<T> {
        T bind(JsonNode node, String path) throws IOException;
    }

    private static boolean isAbsent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static void object(JsonNode n, String path, Set<String> fields) throws IOException {
        if (!n.isObject()) {
            throw new IOException(path + ": expected an object");
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new IOException(path + ": unknown field '" + name + "' (known: " + String.join(", ",
                        fields.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode parent, String field, String path) throws IOException {
        JsonNode n = parent.get(field);
        if (isAbsent(n)) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IOException(path + "." + field + ": expected a string");
        }
        return n.textValue();
    }

    private static List<String> texts(JsonNode n, String path) throws IOException {
        return list(n, path, (e, at) -> {
            if (!e.isTextual()) {
                throw new IOException(at + ": expected a string");
            }
            return e.textValue();
        });
    }

    /** The bound elements of an array, or {@code null} when the field is absent (the record then takes its default). */
    private static <T> List<T> list(JsonNode n, String path, Element<T> element) throws IOException {
        if (isAbsent(n)) {
            return null;
        }
        if (!n.isArray()) {
            throw new IOException(path + ": expected a list");
        }
        List<T> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(element.bind(n.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static <E> E wire(E[] values, Function<E, String> wire, JsonNode n, String path) throws IOException {
        if (n.isTextual()) {
            for (E e : values) {
                if (wire.apply(e).equals(n.textValue())) {
                    return e;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : values) {
            names.add(wire.apply(e));
        }
        throw new IOException(path + ": expected one of " + String.join(", ", names) + ", not " + n);
    }
}

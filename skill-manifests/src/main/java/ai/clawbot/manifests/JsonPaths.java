package ai.clawbot.manifests;

/**
 * Turns JSON Pointers ({@code /tools/0/name}) into the JSON paths problems are reported with
 * ({@code $.tools[0].name}); shared by the manifest and the gateway config validators.
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    public static String fromPointer(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return "$";
        }
        if (pointer.startsWith("$")) {
            return pointer;
        }
        StringBuilder out = new StringBuilder("$");
        for (String raw : pointer.substring(1).split("/", -1)) {
            String seg = raw.replace("~1", "/").replace("~0", "~");
            out.append(seg.matches("0|[1-9][0-9]*") ? "[" + seg + "]" : key(seg));
        }
        return out.toString();
    }

    /** {@code parent} plus one object key. */
    public static String child(String parent, String key) {
        return parent + key(key);
    }

    private static String key(String seg) {
        if (seg.matches("[A-Za-z_$][A-Za-z0-9_$-]*")) {
            return "." + seg;
        }
        return "['" + seg.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }
}

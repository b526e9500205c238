package ai.clawbot.host.config;

/** JSON Pointers ({@code /agents/list/0/id}) as the JSON paths problems are reported with ({@code $.agents.list[0].id}). */
final class ConfigPaths {

    private ConfigPaths() {
    }

    static String fromPointer(String pointer) {
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
    static String child(String parent, String key) {
        return parent + key(key);
    }

    private static String key(String seg) {
        if (seg.matches("[A-Za-z_$][A-Za-z0-9_$-]*")) {
            return "." + seg;
        }
        return "['" + seg.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }
}

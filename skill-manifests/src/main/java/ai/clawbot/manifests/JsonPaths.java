package ai.clawbot.manifests;

/** Turns the validator's JSON Pointers ({@code /tools/0/name}) into JSON paths ({@code $.tools[0].name}). */
final class JsonPaths {

    private JsonPaths() {
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
            if (seg.matches("0|[1-9][0-9]*")) {
                out.append('[').append(seg).append(']');
            } else if (seg.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                out.append('.').append(seg);
            } else {
                out.append("['").append(seg.replace("'", "\\'")).append("']");
            }
        }
        return out.toString();
    }
}

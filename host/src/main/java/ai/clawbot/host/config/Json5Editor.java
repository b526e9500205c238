package ai.clawbot.host.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a change to a JSON5 {@code openclaw.json} as text edits on the file itself, so that comments, layout and
 * every untouched line survive byte for byte: a changed value is replaced (serialized as JSON, indented to its
 * line), a removed member is cut with its comma, its trailing comment and the comment lines right above it, and an
 * added member goes after the parent's last remaining member with that member's indentation (and a comma added to
 * it when it had none). Arrays of the same length are edited item by item, a longer one that starts with the old
 * items gets the new ones appended; any other array change replaces the array.
 *
 * <p>The edited text is parsed again and must mean exactly the intended tree; anything this cannot place (or a
 * result that does not verify) is {@link Result.NotLocated}, and the caller rewrites the file whole instead.
 */
final class Json5Editor {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    /** What an edit came to. */
    sealed interface Result permits Result.Edited, Result.NotLocated {
        /** The new file content; it parses to the intended tree. */
        record Edited(byte[] bytes) implements Result {
        }

        /** The change could not be made as edits; {@code why} is for the log. */
        record NotLocated(String why) implements Result {
        }
    }

    private record Edit(int start, int end, String text, int order) {
    }

    /** Thrown inside the editor when a change cannot be placed; ends as {@link Result.NotLocated}. */
    private static final class CannotPlace extends Exception {
        CannotPlace(String why) {
            super(why, null, false, false);
        }
    }

    private final String src;
    private final String newline;
    private final List<Edit> edits = new ArrayList<>();

    private Json5Editor(String src) {
        this.src = src;
        this.newline = src.contains("\r\n") ? "\r\n" : "\n";
    }

    /** {@code bytes} (UTF-8 JSON5 that parses to {@code before}) edited so that it parses to {@code after}. */
    static Result edit(byte[] bytes, ObjectNode before, ObjectNode after) {
        String src = new String(bytes, StandardCharsets.UTF_8);
        if (!Arrays.equals(src.getBytes(StandardCharsets.UTF_8), bytes)) {
            return new Result.NotLocated("the file is not valid UTF-8");
        }
        try {
            Json5Editor editor = new Json5Editor(src);
            editor.diff(Json5Layout.of(src), before, after);
            String edited = editor.apply();
            byte[] out = edited.getBytes(StandardCharsets.UTF_8);
            ObjectNode reread = ConfigJson.parse(null, out);
            if (!reread.equals(SAME_VALUE, after)) {
                return new Result.NotLocated("the edited text does not parse to the intended config");
            }
            return new Result.Edited(out);
        } catch (CannotPlace e) {
            return new Result.NotLocated(e.getMessage());
        } catch (ConfigException e) {
            return new Result.NotLocated("the edited text is not valid JSON5: " + e.getMessage());
        } catch (IOException e) {
            return new Result.NotLocated("cannot locate the values in the file: " + e.getMessage());
        }
    }

    /** Numbers compare by value: a patch's 0.5 may be a double where the file's is a BigDecimal. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue())
            : a.equals(b) ? 0 : 1;

    private void diff(Json5Layout at, JsonNode before, JsonNode after) throws CannotPlace {
        if (before.equals(after)) {
            return;
        }
        if (at instanceof Json5Layout.Obj obj && before.isObject() && after.isObject()) {
            diffObject(obj, before, after);
        } else if (at instanceof Json5Layout.Arr arr && before.isArray() && after.isArray() && editableArray(before, after)) {
            for (int i = 0; i < before.size(); i++) {
                diff(arr.items().get(i), before.get(i), after.get(i));
            }
            List<String> added = new ArrayList<>();
            for (int i = before.size(); i < after.size(); i++) {
                added.add(render(after.get(i), indentOfLine(arr.items().isEmpty() ? arr.start() : arr.items().getLast().start())));
            }
            if (!added.isEmpty()) {
                appendAfter(arr.items().isEmpty() ? null : arr.items().getLast(), arr, after, added);
            }
        } else {
            replace(at.start(), at.end(), render(after, indentOfLine(at.start())));
        }
    }

    /** Same length (edited item by item), or longer with the old items first (appended to). */
    private static boolean editableArray(JsonNode before, JsonNode after) {
        if (after.size() < before.size()) {
            return false;
        }
        for (int i = 0; after.size() > before.size() && i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void diffObject(Json5Layout.Obj obj, JsonNode before, JsonNode after) throws CannotPlace {
        Json5Layout.Member lastKept = null;
        for (Map.Entry<String, Json5Layout.Member> m : obj.members().entrySet()) {
            JsonNode next = after.get(m.getKey());
            if (next == null) {
                remove(m.getValue());
            } else {
                diff(m.getValue().value(), before.get(m.getKey()), next);
                lastKept = m.getValue();
            }
        }
        List<String> added = new ArrayList<>();
        boolean unquoted = lastKept != null && src.charAt(lastKept.nameStart()) != '"' && src.charAt(lastKept.nameStart()) != '\'';
        for (Map.Entry<String, JsonNode> e : after.properties()) {
            if (!before.has(e.getKey())) {
                String indent = indentOfLine(lastKept == null ? obj.start() : lastKept.nameStart());
                String name = unquoted && IDENTIFIER.matcher(e.getKey()).matches() ? e.getKey() : quote(e.getKey());
                added.add(name + ": " + render(e.getValue(), indent));
            }
        }
        if (added.isEmpty()) {
            return;
        }
        if (lastKept == null && !obj.members().isEmpty()) {
            throw new CannotPlace("every member of the object at char " + obj.start() + " is removed and others added");
        }
        appendAfter(lastKept == null ? null : lastKept.value(), obj, after, added);
    }

    /**
     * Adds {@code items} (rendered members or array items) to {@code container} after {@code last}, its last
     * remaining value: on new lines with that value's indentation when a line break follows it, else on its line.
     * An empty container with nothing but blanks inside is rewritten whole.
     */
    private void appendAfter(Json5Layout last, Json5Layout container, JsonNode whole, List<String> items) throws CannotPlace {
        if (last == null) {
            if (!src.substring(container.start() + 1, container.end() - 1).isBlank()) {
                throw new CannotPlace("an empty object or array with comments inside at char " + container.start());
            }
            replace(container.start(), container.end(), render(whole, indentOfLine(container.start())));
            return;
        }
        int i = skipBlanks(last.end());
        boolean comma = i < src.length() && src.charAt(i) == ',';
        int afterComma = comma ? skipBlanks(i + 1) : i;
        int eol = src.startsWith("//", afterComma) ? lineEnd(afterComma) : afterComma;
        if (!comma) {
            insert(last.end(), ",");
        }
        String trailing = comma ? "," : "";
        if (eol < src.length() && (src.charAt(eol) == '\n' || src.charAt(eol) == '\r')) {
            String indent = indentOfLine(last.start());
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < items.size(); k++) {
                text.append(newline).append(indent).append(items.get(k)).append(k < items.size() - 1 ? "," : trailing);
            }
            insert(eol, text.toString());
        } else if (eol == container.end() - 1) {
            int at = comma ? i + 1 : last.end();
            insert(at, " " + String.join(", ", items) + trailing);
        } else {
            throw new CannotPlace("no place after the value at char " + last.end() + " to add to");
        }
    }

    /** Cuts a member: with its comma and same-line comment, and, when it has lines of its own, its comment lines above. */
    private void remove(Json5Layout.Member m) {
        int start = m.nameStart();
        int i = skipBlanks(m.value().end());
        if (i < src.length() && src.charAt(i) == ',') {
            i = skipBlanks(i + 1);
        }
        int lineStart = lineStart(start);
        boolean ownLines = src.substring(lineStart, start).isBlank();
        int end = src.startsWith("//", i) ? lineEnd(i) : i;
        if (ownLines && (end == src.length() || src.charAt(end) == '\n' || src.charAt(end) == '\r')) {
            end = src.startsWith("\r\n", end) ? end + 2 : Math.min(end + 1, src.length());
            start = lineStart;
            while (start > 0) {
                int above = lineStart(start - 1);
                String line = src.substring(above, start).strip();
                if (!line.startsWith("//") && !(line.startsWith("/*") && line.endsWith("*/"))) {
                    break;
                }
                start = above;
            }
            // A section set off by blank lines leaves one blank line, not two.
            int next = lineEnd(end);
            boolean blankAbove = start > 0 && src.substring(lineStart(start - 1), start).isBlank();
            boolean blankBelow = next < src.length() && src.substring(end, next).isBlank();
            if (blankAbove && blankBelow) {
                end = src.startsWith("\r\n", next) ? next + 2 : next + 1;
            }
        } else {
            end = i;
        }
        edits.add(new Edit(start, end, "", edits.size()));
    }

    private void replace(int start, int end, String text) {
        edits.add(new Edit(start, end, text, edits.size()));
    }

    private void insert(int at, String text) {
        edits.add(new Edit(at, at, text, edits.size()));
    }

    /** Applies the edits from the end of the text backwards; at one place, the edit made first ends up first. */
    private String apply() throws CannotPlace {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::order).reversed());
        StringBuilder out = new StringBuilder(src);
        int limit = src.length();
        for (Edit e : sorted) {
            if (e.end() > limit) {
                throw new CannotPlace("two edits overlap at char " + e.start());
            }
            out.replace(e.start(), e.end(), e.text());
            limit = e.start();
        }
        return out.toString();
    }

    /** {@code value} as 2-space JSON, its lines after the first indented to sit under {@code indent}. */
    private String render(JsonNode value, String indent) {
        return ConfigJson.pretty(value).replace("\n", newline + indent);
    }

    private static String quote(String name) {
        try {
            return ConfigJson.MAPPER.writeValueAsString(name);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
    }

    private String indentOfLine(int offset) {
        int s = lineStart(offset);
        int e = s;
        while (e < src.length() && (src.charAt(e) == ' ' || src.charAt(e) == '\t')) {
            e++;
        }
        return src.substring(s, e);
    }

    private int lineStart(int offset) {
        int nl = src.lastIndexOf('\n', offset - 1);
        return nl + 1;
    }

    private int lineEnd(int offset) {
        int i = offset;
        while (i < src.length() && src.charAt(i) != '\n' && src.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private int skipBlanks(int offset) {
        int i = offset;
        while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}

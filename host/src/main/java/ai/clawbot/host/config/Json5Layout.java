package ai.clawbot.host.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a JSON5 text is: the char range of every object, array and scalar, and where each member's
 * name starts, found with Jackson's own token locations under the same read features the store parses with
 * ({@link ConfigJson#JSON5}), so that the layout and the parsed tree cannot disagree on what the text means.
 */
sealed interface Json5Layout permits Json5Layout.Obj, Json5Layout.Arr, Json5Layout.Scalar {

    /** The first char of the value ({@code '{'}, {@code '['}, a quote, a digit, ...). */
    int start();

    /** One past the value's last char ({@code '}'}, {@code ']'}, a closing quote, ...). */
    int end();

    /** A member: where its name starts (a quote or its first letter) and where its value is. */
    record Member(int nameStart, Json5Layout value) {
    }

    /** An object; {@code end - 1} is its closing brace. Members in source order. */
    record Obj(int start, int end, Map<String, Member> members) implements Json5Layout {
    }

    /** An array; {@code end - 1} is its closing bracket. */
    record Arr(int start, int end, List<Json5Layout> items) implements Json5Layout {
    }

    /** A string, number, boolean or null. */
    record Scalar(int start, int end) implements Json5Layout {
    }

    /** The layout of {@code source}, which must hold one JSON5 object (it has already been parsed once). */
    static Obj of(String source) throws IOException {
        try (JsonParser p = ConfigJson.JSON5.createParser(source)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            return (Obj) read(p);
        }
    }

    private static Json5Layout read(JsonParser p) throws IOException {
        int start = offset(p);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Member> members = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int nameStart = offset(p);
                p.nextToken();
                members.put(name, new Member(nameStart, read(p)));
            }
            return new Obj(start, offset(p) + 1, members);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Json5Layout> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p));
            }
            return new Arr(start, offset(p) + 1, items);
        }
        // A string token is read lazily: asking for its text moves the parser past the closing quote.
        p.getText();
        return new Scalar(start, (int) p.currentLocation().getCharOffset());
    }

    private static int offset(JsonParser p) {
        return (int) p.currentTokenLocation().getCharOffset();
    }
}

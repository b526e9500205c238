package ai.clawbot.host.config;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Strict parsing, the one on-disk format, and the content hash of {@code openclaw.json}. */
final class ConfigJson {

    /**
     * Strict: a duplicate key would let a reviewer read one value while another applies, and trailing content
     * usually means a bad merge. Floats stay BigDecimal so that a huge number is written back as valid JSON
     * (a double would become Infinity). Error messages quote no token text: an unquoted token is often a key.
     */
    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .errorReportConfiguration(ErrorReportConfiguration.builder().maxErrorTokenLength(0).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /**
     * What {@code openclaw.json} is read with: OpenClaw's JSON5 (comments, unquoted and single-quoted names and
     * strings, trailing commas, leading '+', '.5' and '5.', NaN/Infinity, any escaped character), on top of the
     * strict rules above. Not covered: hexadecimal numbers and multi-line strings ending a line in '\'.
     */
    static final JsonMapper JSON5 = MAPPER.rebuild()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();

    /** Like {@code JSON.stringify(config, null, 2)} plus a final newline: what OpenClaw writes. */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ConfigJson() {
    }

    static byte[] serialize(ObjectNode config) {
        try {
            byte[] body = WRITER.writeValueAsBytes(config);
            byte[] out = Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize a JSON tree", e);
        }
    }

    /** {@code value} as the file's 2-space JSON, without a final newline: a value spliced into a JSON5 file. */
    static String pretty(JsonNode value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialize a JSON tree", e);
        }
    }

    /** Lowercase hex SHA-256 of exactly these bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Parses {@code bytes} (the content of {@code file}) as one JSON object, or says exactly why not. */
    static ObjectNode parse(Path file, byte[] bytes) throws ConfigException {
        JsonNode node;
        try {
            node = JSON5.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ConfigException.of(file, pathAt(e), "not valid JSON" + where(e.getLocation()) + ": " + plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ConfigException.of(file, "$", "cannot read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw ConfigException.of(file, "$", "the file is empty; it must hold a JSON object (delete the file to start from an empty config)");
        }
        if (!node.isObject()) {
            throw ConfigException.of(file, "$", "must be a JSON object, found " + node.getNodeType().name().toLowerCase());
        }
        return (ObjectNode) node;
    }

    /**
     * {@code text} read as the file is read (JSON5 and the strict rules above): a value or patch typed on a command
     * line means what it would mean in {@code openclaw.json}.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    static JsonNode value(String text) {
        try {
            JsonNode node = JSON5.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty: no JSON5 value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON5" + where(e.getLocation()) + ": " + plain(e.getOriginalMessage()), e);
        }
    }

    /** Whether {@code bytes} are plain JSON (no comments or other JSON5 syntax a rewrite would lose). */
    static boolean strictJson(byte[] bytes) {
        try {
            MAPPER.readTree(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** The JSON path the parser was in when it failed, e.g. the object holding a duplicate key. */
    private static String pathAt(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
            return ai.clawbot.manifests.JsonPaths.fromPointer(p.getParsingContext().pathAsPointer().toString());
        }
        return "$";
    }

    /**
     * Jackson's message, without Java-isms an operator cannot act on, and without the text of an unquoted token
     * (often a key pasted without quotes).
     */
    private static String plain(String message) {
        if (message == null) {
            return "unknown error";
        }
        String s = message.lines().findFirst().orElse("");
        if (s.startsWith("Trailing token")) {
            return "unexpected content after the end of the JSON object";
        }
        return s.replaceFirst("^Unrecognized token '[^']*'", "Unrecognized token (a string without quotes?)")
                .replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)]", "line $1, column $2");
    }
}

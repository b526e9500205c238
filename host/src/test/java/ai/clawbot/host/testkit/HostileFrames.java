package ai.clawbot.host.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;

/**
 * Generates malformed and hostile gateway-protocol frames from a seeded {@link Random}, each with what
 * the server must do with it. Pre-auth cases never form a connect the server may accept (no right token,
 * or a refusal that comes before the token check); post-auth cases never form a tool call that could
 * pass schema validation (so nothing reaches a sandbox) nor name the installed plugin.
 */
public final class HostileFrames {

    /** What the reply must be. */
    public enum Expect {
        /** a {@code res} with {@code ok:false} and a typed error */
        REFUSED,
        /** a well-formed {@code res}, either way (the server may legitimately accept it) */
        ANY,
        /** before auth: over the 64 KiB cap; after auth: over maxPayload. A typed error (optional) then close 1009. */
        TOO_BIG
    }

    /** One frame to send. {@code id} is the request id the reply must carry, when the envelope is valid. */
    public record Case(String category, String text, Expect expect, String id) {
        public Case(String category, String text, Expect expect) {
            this(category, text, expect, null);
        }
    }

    /** The one installed plugin; hostile plugin ids must never name it (remove would delete it). */
    public static final String INSTALLED_PLUGIN = "obsidian";

    static final List<String> KNOWN_METHODS = List.of("health", "skills.list", "tools.invoke", "plugins.list",
            "plugins.install", "plugins.remove", "plugins.enable", "plugins.disable");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    /** Strings that mean something somewhere: paths, templates, injections, bidi, NUL, emoji. */
    private static final List<String> NASTY = List.of("", " ", "\u0000", "\t\r\n", "..", "../", "../../../../etc/passwd",
            "/etc/passwd", "%2e%2e%2f", "${jndi:ldap://127.0.0.1:1/a}", "{{7*7}}", "<script>alert(1)</script>",
            "'; DROP TABLE plugins; --", "\u202egnp.exe", "\uFEFF", "\uD83D\uDE00", "obsidian\u0000", "OBSIDIAN",
            "obs\u0456dian", "-rf", "__proto__", "constructor", "null", "true", "0", "-1", "NaN", "\\", "\"", "\\u0000",
            "a".repeat(41), "\u0085\u2028\u2029", "\u00e9\u00e8\u00ea", "\u65e5\u672c\u8a9e");

    /** Method names next to real ones (and connect, which is only valid as the first request). */
    private static final List<String> NEAR_METHODS = List.of("connect", "HEALTH", "health ", " health", "health\u0000",
            "plugins.", "plugins", "plugins.list.", "plugins.*", "tools.invoke.x", "tools", "skills.list\n", "__proto__",
            "constructor", "toString", "hasOwnProperty", "..", "/health", "health/../plugins.remove", "ｈｅａｌｔｈ");

    private static final List<String> HOSTILE_SOURCES = List.of("/etc/passwd", "/etc/shadow", "/etc/", "/", "../../",
            "../../../../../../../../etc/passwd", "file:///etc/passwd", "file:/etc/passwd", "http://127.0.0.1:1/",
            "http://127.0.0.1:1/x.jar", "https://127.0.0.1:1/", "http://[::1", "http://", "https://", "ftp://127.0.0.1/",
            "jar:file:/etc/passwd!/", "\u0000", "/dev/zero", "/dev/random", "/dev/null", "/proc/self/environ",
            "/proc/self/cmdline", "~", "~/.ssh/id_rsa", "$HOME", "%2e%2e/%2e%2e/", "C:\\Windows\\System32", "\\\\server\\share",
            "no/such/dir/plugin.jar", "a\nb", "-rf", "x".repeat(10_000), "/etc/passwd\u0000.jar", ".", "..");

    private final Random r;
    private final String token;
    private final String selfUrl;

    /**
     * @param token   the real gateway token (used only where a refusal comes before the token check)
     * @param selfUrl the gateway's own http address (plugins.install pointed at itself)
     */
    public HostileFrames(Random random, String token, String selfUrl) {
        this.r = random;
        this.token = token;
        this.selfUrl = selfUrl;
    }

    // ---------------------------------------------------------------------------------------------- pre-auth

    /** A frame sent as the first message of a fresh connection; every one must be refused. */
    public Case preAuth() {
        int k = r.nextInt(100);
        if (k < 22) {
            return badJson("pre/", connectEnvelope(wrongToken()));
        }
        if (k < 40) {
            return wrongTypes("pre/", connectEnvelope(wrongToken()), "connect");
        }
        if (k < 52) {
            return notConnect();
        }
        if (k < 88) {
            return hostileConnect();
        }
        if (k < 92) {
            return duplicateKeysPreAuth();
        }
        if (k < 96) {
            ObjectNode env = connectEnvelope(wrongToken());
            int depth = r.nextBoolean() ? 1_001 + r.nextInt(20_000) : 100_000;
            String text = withDeepParam(env.toString(), depth);
            return new Case("pre/deep-nesting-" + (depth == 100_000 ? "100k" : "over-1000"), text,
                    text.length() > 64 * 1024 ? Expect.TOO_BIG : Expect.REFUSED);
        }
        return oversizePreAuth();
    }

    private Case notConnect() {
        String method = r.nextInt(3) == 0 ? hostileString(40) : pick(KNOWN_METHODS);
        if (method.isEmpty() || method.equals("connect")) {
            method = "health";
        }
        ObjectNode env = envelope(id(), method, hostileParams(method));
        ((ObjectNode) env.get("params")).putObject("auth").put("token", token); // right token, wrong method
        return new Case("pre/not-connect", env.toString(), Expect.REFUSED);
    }

    private Case hostileConnect() {
        int k = r.nextInt(8);
        ObjectNode env;
        switch (k) {
            case 0 -> { // auth of the wrong shape, or no auth
                env = connectEnvelope(null);
                ObjectNode p = (ObjectNode) env.get("params");
                switch (r.nextInt(5)) {
                    case 0 -> p.remove("auth");
                    case 1 -> p.put("auth", token);
                    case 2 -> p.putArray("auth").add(token);
                    case 3 -> p.set("auth", N.numberNode(42));
                    default -> p.putNull("auth");
                }
                return new Case("pre/connect-auth-shape", env.toString(), Expect.REFUSED);
            }
            case 1 -> { // token of the wrong type (the right token's text inside an array/object must not count)
                env = connectEnvelope(null);
                ObjectNode auth = ((ObjectNode) env.get("params")).putObject("auth");
                switch (r.nextInt(7)) {
                    case 0 -> auth.put("token", r.nextLong());
                    case 1 -> auth.put("token", r.nextBoolean());
                    case 2 -> auth.putArray("token").add(token);
                    case 3 -> auth.putObject("token").put("token", token);
                    case 4 -> auth.putNull("token");
                    case 5 -> auth.put("token", new BigDecimal("1e400"));
                    default -> auth.put("token", "");
                }
                return new Case("pre/connect-token-type", env.toString(), Expect.REFUSED);
            }
            case 2 -> { // huge wrong tokens, under the cap
                env = connectEnvelope("T".repeat(20_000 + r.nextInt(40_000)));
                return new Case("pre/connect-huge-token", env.toString(), Expect.REFUSED);
            }
            case 3 -> { // near-miss tokens
                String t = switch (r.nextInt(7)) {
                    case 0 -> token + "\u0000";
                    case 1 -> token + " ";
                    case 2 -> " " + token;
                    case 3 -> token.toUpperCase();
                    case 4 -> token.substring(0, token.length() - 1);
                    case 5 -> token + token;
                    default -> token.substring(0, 8);
                };
                return new Case("pre/connect-near-miss-token", connectEnvelope(t).toString(), Expect.REFUSED);
            }
            case 4 -> { // protocol range as the wrong types, with a wrong token
                env = connectEnvelope(wrongToken());
                ObjectNode p = (ObjectNode) env.get("params");
                p.set("minProtocol", hostileValue(1));
                p.set("maxProtocol", hostileValue(1));
                return new Case("pre/connect-protocol-types", env.toString(), Expect.REFUSED);
            }
            case 5 -> { // protocol ranges without 4, with the right token: refused before the token is looked at
                env = connectEnvelope(token);
                ObjectNode p = (ObjectNode) env.get("params");
                int[][] ranges = {{1, 3}, {5, 9}, {5, 3}, {-1, -1}, {Integer.MAX_VALUE, Integer.MAX_VALUE},
                        {Integer.MIN_VALUE, 3}, {0, 0}, {5, Integer.MAX_VALUE}};
                int[] range = ranges[r.nextInt(ranges.length)];
                p.put("minProtocol", range[0]).put("maxProtocol", range[1]);
                return new Case("pre/connect-protocol-range", env.toString(), Expect.REFUSED);
            }
            case 6 -> { // roles other than operator, with the right token
                env = connectEnvelope(token);
                ObjectNode p = (ObjectNode) env.get("params");
                switch (r.nextInt(7)) {
                    case 0 -> p.put("role", "admin");
                    case 1 -> p.put("role", "node");
                    case 2 -> p.put("role", "OPERATOR");
                    case 3 -> p.put("role", "operator ");
                    case 4 -> p.put("role", 5);
                    case 5 -> p.putArray("role").add("operator");
                    default -> p.put("role", hostileString(30) + "x");
                }
                return new Case("pre/connect-role", env.toString(), Expect.REFUSED);
            }
            default -> { // everything else hostile, wrong token
                env = connectEnvelope(wrongToken());
                ObjectNode p = (ObjectNode) env.get("params");
                for (String f : List.of("client", "scopes", "role", "device", "caps", "locale")) {
                    if (r.nextBoolean()) {
                        p.set(f, hostileValue(3));
                    }
                }
                return new Case("pre/connect-hostile-fields", env.toString(), Expect.REFUSED);
            }
        }
    }

    private Case duplicateKeysPreAuth() {
        String t = JSON.valueToTree(token).toString();
        String w = JSON.valueToTree(wrongToken()).toString();
        String text = switch (r.nextInt(3)) {
            // the right token first, a wrong one last (which one counts must not matter: either is refused or
            // consistent; here the last one is wrong)
            case 0 -> "{\"type\":\"req\",\"id\":\"d\",\"method\":\"connect\",\"params\":{\"auth\":{\"token\":" + t
                    + ",\"token\":" + w + "}}}";
            case 1 -> "{\"type\":\"req\",\"id\":\"d\",\"method\":\"connect\",\"method\":\"health\",\"params\":{\"auth\":{\"token\":"
                    + t + "}}}";
            default -> "{\"type\":\"req\",\"type\":\"res\",\"id\":\"d\",\"method\":\"connect\",\"params\":{\"auth\":{\"token\":"
                    + t + "}}}";
        };
        return new Case("pre/duplicate-keys", text, Expect.REFUSED);
    }

    private Case oversizePreAuth() {
        int k = r.nextInt(4);
        String text = switch (k) {
            case 0 -> connectEnvelope(wrongToken()).put("pad", "p".repeat(64 * 1024 + r.nextInt(64 * 1024))).toString();
            case 1 -> envelope(id(), "m".repeat(1024 * 1024), N.objectNode()).toString(); // 1 MiB method name
            case 2 -> connectEnvelope(token).put("pad", "p".repeat(3 * 1024 * 1024)).toString(); // 3 MiB param
            default -> "{".repeat(64 * 1024 + 1);
        };
        return new Case("pre/oversize", text, Expect.TOO_BIG);
    }

    // --------------------------------------------------------------------------------------------- post-auth

    /** A frame sent on an authenticated connection; it gets exactly one reply and never closes it. */
    public Case postAuth() {
        int k = r.nextInt(100);
        if (k < 15) {
            return badJson("post/", envelope(id(), pick(KNOWN_METHODS), N.objectNode()));
        }
        if (k < 30) {
            return wrongTypes("post/", envelope(id(), "health", N.objectNode()), "health");
        }
        if (k < 38) {
            String m = r.nextInt(3) == 0 ? pick(NEAR_METHODS) : hostileString(60);
            if (m.isEmpty() || KNOWN_METHODS.contains(m)) {
                m = "no.such.method";
            }
            String id = id();
            return new Case("post/unknown-method", envelope(id, m, hostileParams(m)).toString(), Expect.REFUSED, id);
        }
        if (k < 88) {
            return knownMethodHostileParams();
        }
        if (k < 92) {
            return deepPostAuth();
        }
        if (k < 95) {
            return duplicateKeysPostAuth();
        }
        if (k < 98) {
            return oddIds();
        }
        return hugePostAuth();
    }

    /** A known method with hostile params. */
    public Case knownMethodHostileParams() {
        String method = pick(KNOWN_METHODS);
        String id = id();
        ObjectNode params = hostileParams(method);
        Expect expect = switch (method) {
            case "health", "skills.list", "plugins.list" -> Expect.ANY;
            case "plugins.install" -> Expect.ANY; // a preview whose every result is refused, or INVALID_PARAMS
            default -> Expect.REFUSED;
        };
        return new Case("post/hostile-params/" + method, envelope(id, method, params).toString(), expect, id);
    }

    /** Params that must not succeed for the method (or that it must ignore, for the read-only ones). */
    public ObjectNode hostileParams(String method) {
        ObjectNode p = N.objectNode();
        switch (method) {
            case "tools.invoke" -> {
                boolean realSkill = r.nextInt(3) == 0;
                p.set("skill", realSkill ? N.textNode(INSTALLED_PLUGIN) : stringOrWrongType());
                p.set("tool", realSkill && r.nextBoolean()
                        ? N.textNode(pick(List.of("search", "search_content", "read", "create"))) : stringOrWrongType());
                switch (r.nextInt(6)) {
                    case 0 -> p.put("args", hostileString(100));
                    case 1 -> p.set("args", N.arrayNode().add(hostileValue(2)));
                    case 2 -> p.put("args", r.nextDouble());
                    case 3 -> p.put("args", r.nextBoolean());
                    default -> {
                        // an object, but never one a tool's schema accepts: every real tool is
                        // additionalProperties:false and its required fields are strings
                        ObjectNode args = p.putObject("args");
                        args.set("__fuzz_extra__", hostileValue(2));
                        for (String f : List.of("query", "path", "content", "limit", "overwrite")) {
                            if (r.nextBoolean()) {
                                args.set(f, r.nextBoolean() ? N.arrayNode().add(hostileValue(2)) : N.objectNode());
                            }
                        }
                    }
                }
                if (r.nextInt(4) == 0) {
                    p.set("agentId", r.nextBoolean() ? N.textNode(pick(NASTY) + "../") : hostileValue(1));
                }
                if (r.nextInt(6) == 0) {
                    p.put("sessionKey", "s".repeat(201 + r.nextInt(2_000)));
                }
            }
            case "plugins.install" -> {
                String field = pick(List.of("source", "source", "source", "path", "url"));
                int k = r.nextInt(10);
                if (k < 7) {
                    p.put(field, pick(HOSTILE_SOURCES));
                } else if (k == 7) {
                    p.put(field, selfUrl + pick(List.of("", "healthz", "x.jar", "../../etc/passwd")));
                } else {
                    p.set(field, hostileValue(2));
                }
                if (r.nextBoolean()) {
                    p.set("confirm", r.nextBoolean() ? N.booleanNode(true) : hostileValue(1));
                }
            }
            case "plugins.remove", "plugins.enable", "plugins.disable" -> {
                switch (r.nextInt(5)) {
                    case 0 -> p.set("id", hostileValue(2));
                    case 1 -> {
                        String id = "zz" + randomLower(1 + r.nextInt(30)); // well-formed, never installed
                        p.put("id", id);
                    }
                    case 2 -> {
                        // nasty strings that look like the installed plugin but are not it
                        String s = pick(NASTY);
                        p.put("id", s.equals(INSTALLED_PLUGIN) ? s + "\u0000" : s);
                    }
                    case 3 -> p.put("id", INSTALLED_PLUGIN + pick(List.of("/../x", "\n", "\u0000", " ", "/", "-", ".jar")));
                    default -> { } // no id at all
                }
                if (p.path("id").asText("").equals(INSTALLED_PLUGIN)) {
                    p.put("id", "zz-" + INSTALLED_PLUGIN);
                }
            }
            default -> {
                for (int i = r.nextInt(4); i > 0; i--) {
                    p.set(hostileString(20), hostileValue(3));
                }
            }
        }
        return p;
    }

    private JsonNode stringOrWrongType() {
        return switch (r.nextInt(4)) {
            case 0 -> hostileValue(1);
            case 1 -> N.textNode(pick(NASTY));
            default -> N.textNode("zz-" + hostileString(50));
        };
    }

    private Case deepPostAuth() {
        String id = id();
        return switch (r.nextInt(4)) {
            case 0 -> new Case("post/deep-nesting-100k", withDeepParam(envelope(id, "health", N.objectNode()).toString(), 100_000),
                    Expect.REFUSED);
            case 1 -> new Case("post/deep-nesting-over-1000",
                    withDeepParam(envelope(id, "skills.list", N.objectNode()).toString(), 1_001 + r.nextInt(5_000)), Expect.REFUSED);
            case 2 -> new Case("post/deep-nesting-990", withDeepParam(envelope(id, "health", N.objectNode()).toString(), 990),
                    Expect.ANY, id);
            default -> {
                // a deep value where a tool's schema validator walks it (the skill is real, the args invalid)
                String inner = "[".repeat(900) + "]".repeat(900);
                String text = "{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"tools.invoke\",\"params\":{\"skill\":\""
                        + INSTALLED_PLUGIN + "\",\"tool\":\"read\",\"args\":{\"path\":" + inner + ",\"__fuzz_extra__\":"
                        + inner + "}}}";
                yield new Case("post/deep-args", text, Expect.REFUSED, id);
            }
        };
    }

    private Case duplicateKeysPostAuth() {
        String id = id();
        int k = r.nextInt(4);
        String text = switch (k) {
            case 0 -> "{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"plugins.remove\",\"method\":\"health\"}";
            case 1 -> "{\"type\":\"req\",\"id\":\"x\",\"id\":\"" + id + "\",\"method\":\"health\"}";
            case 2 -> "{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"plugins.disable\",\"params\":{\"id\":\""
                    + INSTALLED_PLUGIN + "\",\"id\":\"zz-not-installed\"}}";
            default -> "{\"type\":\"res\",\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"skills.list\",\"params\":{},\"params\":{}}";
        };
        // the plugins.disable case names the installed plugin first and an unknown one last: it must not succeed
        return new Case("post/duplicate-keys", text, k == 2 ? Expect.REFUSED : Expect.ANY);
    }

    private Case oddIds() {
        String id = switch (r.nextInt(8)) {
            case 7 -> "9".repeat(1_001 + r.nextInt(5_000)); // past Jackson's 1000-digit number limit: not JSON
            case 0 -> "1e999";
            case 1 -> "-0";
            case 2 -> "1e-400";
            case 3 -> "9".repeat(1 + r.nextInt(900));
            case 4 -> "-" + "9".repeat(1 + r.nextInt(900));
            case 5 -> "0.1";
            default -> JSON.valueToTree("i".repeat(r.nextInt(100_000))).toString();
        };
        String text = "{\"type\":\"req\",\"id\":" + id + ",\"method\":\"health\"}";
        boolean refused = id.equals("\"\"") || id.length() > 1_000 && id.chars().allMatch(Character::isDigit);
        return new Case("post/odd-ids", text, refused ? Expect.REFUSED : Expect.ANY);
    }

    private Case hugePostAuth() {
        String id = id();
        return switch (r.nextInt(3)) {
            case 0 -> new Case("post/huge-method-1MiB", envelope(id, "m".repeat(1024 * 1024), N.objectNode()).toString(),
                    Expect.REFUSED, id);
            case 1 -> {
                ObjectNode p = N.objectNode().put("skill", "s".repeat(256 * 1024)).put("tool", "t");
                yield new Case("post/huge-skill-name", envelope(id, "tools.invoke", p).toString(), Expect.REFUSED, id);
            }
            default -> {
                ObjectNode p = N.objectNode().put("id", "p".repeat(512 * 1024));
                yield new Case("post/huge-plugin-id", envelope(id, "plugins.remove", p).toString(), Expect.REFUSED, id);
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ shared

    /** Malformed JSON derived from a valid envelope. */
    private Case badJson(String phase, ObjectNode valid) {
        String v = valid.toString();
        String text = switch (r.nextInt(14)) {
            case 0, 1, 2 -> v.substring(0, r.nextInt(v.length())); // truncated
            case 3 -> randomText(1 + r.nextInt(300));
            case 4 -> v.replaceFirst("\\{", "{\"n\":" + pick(List.of("NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10")) + ",");
            case 5 -> v.substring(0, v.length() - 1) + ",}"; // trailing comma
            case 6 -> v.replace('"', '\''); // single quotes
            case 7 -> v.replaceFirst("\"type\"", "type"); // unquoted key
            case 8 -> "/* c */" + v;
            case 9 -> pick(List.of("null", "[]", "42", "\"str\"", "true", "", " ", "{}", "{\"type\":\"req\"}", "[" + v + "]",
                    "\"" + v.replace("\"", "\\\"") + "\""));
            case 10 -> v.replaceFirst(":", ""); // missing colon
            case 11 -> v.replace("\"type\":\"req\"", "\"type\":\"req\\x\""); // bad escape
            case 12 -> v.substring(0, v.length() - 1) + "\u0000}"; // raw control character outside a string is invalid
            default -> v.replaceFirst("\"req\"", "\"re\nq\""); // raw newline inside a string
        };
        return new Case(phase + "bad-json", text, Expect.REFUSED);
    }

    /** A valid envelope with one field of the wrong type. */
    private Case wrongTypes(String phase, ObjectNode valid, String method) {
        ObjectNode env = valid.deepCopy();
        String field = pick(List.of("type", "id", "method", "params"));
        JsonNode bad = switch (field) {
            case "type" -> pick(List.of(N.numberNode(1), N.nullNode(), N.textNode("res"), N.textNode("event"), N.textNode("REQ"),
                    N.arrayNode().add("req"), N.objectNode().put("type", "req"), N.textNode("")));
            case "id" -> pick(List.of(N.objectNode().put("id", "1"), N.arrayNode().add("1"), N.booleanNode(true),
                    N.booleanNode(false), N.nullNode(), N.textNode("")));
            case "method" -> pick(List.of(N.numberNode(42), N.nullNode(), N.textNode(""), N.arrayNode().add(method),
                    N.objectNode().put("method", method), N.booleanNode(true)));
            default -> pick(List.of(N.textNode("{}"), N.arrayNode().add(N.objectNode()), N.numberNode(1), N.booleanNode(true),
                    N.textNode(hostileString(40))));
        };
        if (r.nextInt(8) == 0) {
            env.remove(field);
            if (field.equals("params")) {
                env.put("type", 7); // params may be missing; make it wrong elsewhere
            }
        } else {
            env.set(field, bad);
        }
        return new Case(phase + "wrong-type/" + field, env.toString(), Expect.REFUSED);
    }

    private ObjectNode connectEnvelope(String tokenOrNull) {
        ObjectNode p = N.objectNode().put("minProtocol", 4).put("maxProtocol", 4);
        p.putObject("client").put("id", "fuzz").put("version", "1").put("platform", "java").put("mode", "cli");
        p.put("role", "operator");
        if (tokenOrNull != null) {
            p.putObject("auth").put("token", tokenOrNull);
        }
        return envelope(id(), "connect", p);
    }

    private static ObjectNode envelope(String id, String method, JsonNode params) {
        ObjectNode o = N.objectNode().put("type", "req").put("id", id).put("method", method);
        o.set("params", params);
        return o;
    }

    /** Puts {@code depth} nested arrays into the envelope's params as {@code "deep"}. */
    private static String withDeepParam(String envelope, int depth) {
        int at = envelope.lastIndexOf("\"params\":{") + "\"params\":{".length();
        StringBuilder b = new StringBuilder(envelope.length() + depth * 2 + 16);
        b.append(envelope, 0, at).append("\"deep\":");
        b.repeat("[", depth).repeat("]", depth);
        String rest = envelope.substring(at);
        return b.append(rest.startsWith("}") ? "" : ",").append(rest).toString();
    }

    /** Any JSON value, nested up to {@code depth}. */
    public JsonNode hostileValue(int depth) {
        int k = r.nextInt(depth > 0 ? 12 : 9);
        return switch (k) {
            case 0 -> N.nullNode();
            case 1 -> N.booleanNode(r.nextBoolean());
            case 2 -> N.numberNode(r.nextInt());
            case 3 -> N.numberNode(r.nextLong());
            case 4 -> N.numberNode(new BigInteger(1 + r.nextInt(300), r));
            case 5 -> N.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(300) - 150));
            case 6 -> N.textNode(hostileString(80));
            case 7 -> N.textNode(pick(NASTY));
            case 8 -> N.textNode(pick(HOSTILE_SOURCES));
            case 9, 10 -> {
                ArrayNode a = N.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(hostileValue(depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = N.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(hostileString(12), hostileValue(depth - 1));
                }
                yield o;
            }
        };
    }

    /** Random text: nasty fixed strings, random code points (never lone surrogates), or both. */
    public String hostileString(int maxLen) {
        return switch (r.nextInt(4)) {
            case 0 -> pick(NASTY);
            case 1 -> randomText(r.nextInt(maxLen + 1));
            case 2 -> pick(NASTY) + randomText(r.nextInt(maxLen + 1)) + pick(NASTY);
            default -> randomLower(1 + r.nextInt(Math.max(1, maxLen)));
        };
    }

    private String randomText(int len) {
        StringBuilder b = new StringBuilder(len);
        while (b.length() < len) {
            int cp = switch (r.nextInt(5)) {
                case 0 -> r.nextInt(0x20);
                case 1 -> 0x20 + r.nextInt(0x5F);
                case 2 -> 0x80 + r.nextInt(0x780);
                case 3 -> 0x800 + r.nextInt(0xD800 - 0x800);
                default -> 0x10000 + r.nextInt(0x10FFFF - 0x10000);
            };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    private String randomLower(int len) {
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private String wrongToken() {
        return "wrong-" + randomLower(8 + r.nextInt(40));
    }

    private String id() {
        return "f" + Long.toHexString(r.nextLong());
    }

    private <T> T pick(List<T> list) {
        return list.get(r.nextInt(list.size()));
    }
}

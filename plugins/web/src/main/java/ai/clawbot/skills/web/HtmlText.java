package ai.clawbot.skills.web;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML to readable text, without a parser dependency: scripts, styles and other non-content elements are
 * dropped, block elements become line breaks, list items become "- " lines, entities are decoded and
 * whitespace is collapsed. Good enough for a model to read a page; not a renderer.
 */
final class HtmlText {

    // Tag patterns stop at the next '<' ([^<>]*): with [^>]* a page of unclosed tags would take quadratic time.
    private static final Pattern INVISIBLE = Pattern.compile(
            "<(script|style|noscript|template|svg|head|iframe|object|title)\\b[^<>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TITLE = Pattern.compile("<title\\b[^<>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_ITEM = Pattern.compile("<li\\b[^<>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern BLOCK = Pattern.compile(
            "</?(p|div|br|hr|h[1-6]|ul|ol|tr|table|section|article|header|footer|nav|main|aside|blockquote|pre"
                    + "|dl|dt|dd|figure|figcaption|form|fieldset|details|summary|address)\\b[^<>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern CELL = Pattern.compile("</?(td|th)\\b[^<>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("</?[A-Za-z!?][^<>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});");
    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta\\b[^<>]*?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9_.:-]{1,40})", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("ndash", "–"), Map.entry("mdash", "—"),
            Map.entry("hellip", "…"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"), Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"), Map.entry("laquo", "«"), Map.entry("raquo", "»"), Map.entry("copy", "©"),
            Map.entry("reg", "®"), Map.entry("trade", "™"), Map.entry("middot", "·"), Map.entry("bull", "•"),
            Map.entry("euro", "€"), Map.entry("pound", "£"), Map.entry("yen", "¥"), Map.entry("cent", "¢"),
            Map.entry("deg", "°"), Map.entry("times", "×"), Map.entry("divide", "÷"), Map.entry("para", "¶"),
            Map.entry("sect", "§"), Map.entry("shy", ""), Map.entry("zwj", ""), Map.entry("zwnj", ""));

    private HtmlText() {
    }

    /** The page's {@code <title>}, as text. */
    static Optional<String> title(String html) {
        Matcher m = TITLE.matcher(html);
        if (!m.find()) {
            return Optional.empty();
        }
        int end = indexOfIgnoreCase(html, "</title", m.end());
        String t = collapse(decode(TAG.matcher(html.substring(m.end(), end < 0 ? html.length() : end)).replaceAll(" ")));
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    static String toText(String html) {
        String s = dropHidden(html);
        s = LIST_ITEM.matcher(s).replaceAll("\n- ");
        s = BLOCK.matcher(s).replaceAll("\n");
        s = CELL.matcher(s).replaceAll(" ");
        s = TAG.matcher(s).replaceAll("");
        return collapse(decode(s));
    }

    /**
     * Drops comments and elements whose content is not text (scripts, styles, the head...), scanning forwards
     * only: an element that is never closed loses its opening tag, and its name is not searched for again.
     */
    private static String dropHidden(String html) {
        StringBuilder out = new StringBuilder(html.length());
        java.util.Set<String> unclosed = new java.util.HashSet<>();
        Matcher open = INVISIBLE.matcher(html);
        int i = 0;
        int comment = -2; // the next "<!--" at or after i (-1: none left); both searches only move forwards
        int elementAt = -2;
        while (i < html.length()) {
            if (comment != -1 && comment < i) {
                comment = html.indexOf("<!--", i);
            }
            if (elementAt != -1 && elementAt < i) {
                elementAt = open.find(i) ? open.start() : -1;
            }
            if (comment < 0 && elementAt < 0) {
                break;
            }
            if (comment >= 0 && (elementAt < 0 || comment < elementAt)) {
                out.append(html, i, comment).append(' ');
                int end = html.indexOf("-->", comment + 4);
                i = end < 0 ? html.length() : end + 3;
                continue;
            }
            out.append(html, i, elementAt).append(' ');
            String name = open.group(1).toLowerCase(Locale.ROOT);
            int close = unclosed.contains(name) ? -1 : indexOfIgnoreCase(html, "</" + name, open.end());
            if (close < 0) {
                unclosed.add(name);
                i = open.end();
            } else {
                int gt = html.indexOf('>', close);
                i = gt < 0 ? html.length() : gt + 1;
            }
        }
        return out.append(html, Math.min(i, html.length()), html.length()).toString();
    }

    /** {@code indexOf} for an ASCII needle, ignoring ASCII case. */
    private static int indexOfIgnoreCase(String s, String needle, int from) {
        int n = needle.length();
        for (int i = Math.max(0, from); i + n <= s.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, n)) {
                return i;
            }
        }
        return -1;
    }

    /** A charset declared by a {@code <meta>} in the first bytes of a page, if the JVM knows it. */
    static Optional<Charset> declaredCharset(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 2048), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Charset.forName(m.group(1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String decode(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1)).orElse(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Optional<String> entity(String name) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)
                        ? Optional.of(new String(Character.toChars(cp))) : Optional.of("\uFFFD");
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(NAMED.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Trims each line, collapses runs of blanks, and keeps at most one empty line between paragraphs. */
    private static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int blank = 0;
        for (String line : s.split("\n", -1)) {
            String l = line.replaceAll("[ \\t\\x0B\\f\\r\\u00A0]+", " ").strip();
            if (l.isEmpty()) {
                blank++;
                continue;
            }
            if (out.length() > 0) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            out.append(l);
            blank = 0;
        }
        return out.toString();
    }
}

package ai.clawbot.skills.web;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a model reads of a fetched page: HTML as text, other text as is, binary content not at all. */
final class PageText {

    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*\"?([A-Za-z0-9_.:-]{1,40})", Pattern.CASE_INSENSITIVE);

    /** The kind of content, the text to show ({@code null} for binary), and the HTML title if any. */
    record Rendered(String kind, String text, String title) {
    }

    private PageText() {
    }

    static Rendered render(HttpFetcher.Page page, boolean raw) {
        String type = mediaType(page.contentType());
        byte[] body = page.body();
        boolean html = type.equals("text/html") || type.equals("application/xhtml+xml")
                || (type.isEmpty() && looksLikeHtml(body));
        if (!html && !isText(type, body)) {
            return new Rendered("binary", null, null);
        }
        String decoded = new String(body, charset(page.contentType(), body, html));
        if (!html) {
            return new Rendered("text", decoded, null);
        }
        String title = HtmlText.title(decoded).orElse(null);
        return new Rendered("html", raw ? decoded : HtmlText.toText(decoded), title);
    }

    /** {@code text/html} from {@code Text/HTML; charset=UTF-8}; empty when there is none. */
    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isText(String type, byte[] body) {
        if (type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml")) {
            return true;
        }
        return switch (type) {
            case "application/json", "application/xml", "application/javascript", "application/x-javascript",
                 "application/ecmascript", "application/x-yaml", "application/yaml", "application/toml",
                 "application/x-sh", "application/sql", "application/graphql" -> true;
            // No type given: text if the first bytes hold no NUL and decode as UTF-8.
            case "" -> sniffText(body);
            default -> false;
        };
    }

    private static boolean sniffText(byte[] body) {
        int n = Math.min(body.length, 4096);
        for (int i = 0; i < n; i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body, 0, utf8Boundary(body, n)));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** {@code n}, moved back so it does not cut a UTF-8 sequence in two. */
    private static int utf8Boundary(byte[] b, int n) {
        int i = n;
        while (i > 0 && i > n - 4 && i < b.length && (b[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }

    private static boolean looksLikeHtml(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 512), StandardCharsets.ISO_8859_1).stripLeading()
                .toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }

    /** The header's charset, else (for HTML) a {@code <meta>} one, else UTF-8; unknown names fall back to UTF-8. */
    static Charset charset(String contentType, byte[] body, boolean html) {
        Matcher m = CHARSET.matcher(contentType);
        if (m.find()) {
            try {
                return Charset.forName(m.group(1));
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }
        Optional<Charset> declared = html ? HtmlText.declaredCharset(body) : Optional.empty();
        return declared.orElse(StandardCharsets.UTF_8);
    }
}

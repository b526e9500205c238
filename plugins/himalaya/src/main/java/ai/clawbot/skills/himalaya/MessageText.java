package ai.clawbot.skills.himalaya;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * What a message says, as plain text, and what it carries: the text parts (text/plain preferred in an alternative;
 * HTML reduced to text with scripts, styles and every tag dropped), and each attachment's name, type and size (never
 * its bytes). Hostile MIME (broken boundaries, unknown charsets, nesting bombs) yields what could be read plus a
 * note, never an exception.
 */
final class MessageText {

    static final int MAX_TEXT_CHARS = 512 * 1024;
    private static final int MAX_DEPTH = 16;
    private static final int MAX_PARTS = 500;

    /** An attachment as listed: its index (for download), sanitised name, type and size in bytes (-1: unknown). */
    record Attachment(int index, String filename, String contentType, long size, Part part) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Attachment> attachments = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int parts;
    private boolean truncated;

    private MessageText() {
    }

    static MessageText of(Part message) {
        MessageText t = new MessageText();
        t.walk(message, 0, false);
        return t;
    }

    String text() {
        return text.toString().strip();
    }

    List<Attachment> attachments() {
        return attachments;
    }

    List<String> problems() {
        return problems;
    }

    boolean truncated() {
        return truncated;
    }

    private void walk(Part p, int depth, boolean inAlternative) {
        if (++parts > MAX_PARTS || depth > MAX_DEPTH) {
            problem("too many or too deeply nested MIME parts; the rest is not shown");
            return;
        }
        try {
            String disposition = p.getDisposition();
            String filename = filename(p);
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition) || (filename != null && !filename.isEmpty());
            if (p.isMimeType("multipart/*") && !attached) {
                Object content = p.getContent();
                if (!(content instanceof Multipart mp)) {
                    problem("a multipart part without a readable structure");
                    return;
                }
                boolean alternative = p.isMimeType("multipart/alternative");
                if (alternative) {
                    BodyPart chosen = chooseAlternative(mp);
                    if (chosen != null) {
                        walk(chosen, depth + 1, true);
                    }
                    // the rest of an alternative are other renderings of the same text, but keep their attachments
                    for (int i = 0; i < mp.getCount(); i++) {
                        BodyPart b = mp.getBodyPart(i);
                        if (b != chosen && b.isMimeType("multipart/*")) {
                            walk(b, depth + 1, true);
                        }
                    }
                    return;
                }
                for (int i = 0; i < mp.getCount(); i++) {
                    walk(mp.getBodyPart(i), depth + 1, false);
                }
                return;
            }
            if (!attached && p.isMimeType("text/plain")) {
                append(read(p));
                return;
            }
            if (!attached && p.isMimeType("text/html")) {
                append(htmlToText(read(p)));
                return;
            }
            if (inAlternative && !attached && p.isMimeType("text/*")) {
                append(read(p));
                return;
            }
            attachments.add(new Attachment(attachments.size() + 1, AttachmentNames.sanitise(filename, attachments.size() + 1,
                    baseType(p)), baseType(p), size(p), p));
        } catch (MessagingException | IOException | RuntimeException e) {
            problem("a part could not be read (" + e.getClass().getSimpleName() + ": " + Envelopes.safe(e.getMessage()) + ")");
        }
    }

    private static BodyPart chooseAlternative(Multipart mp) throws MessagingException {
        BodyPart html = null;
        BodyPart other = null;
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart b = mp.getBodyPart(i);
            if (b.isMimeType("text/plain")) {
                return b;
            }
            if (html == null && b.isMimeType("text/html")) {
                html = b;
            } else if (other == null) {
                other = b;
            }
        }
        return html != null ? html : other;
    }

    private void append(String s) {
        if (truncated || s.isBlank()) {
            return;
        }
        if (text.length() > 0) {
            text.append("\n\n");
        }
        int room = MAX_TEXT_CHARS - text.length();
        if (s.length() > room) {
            text.append(s, 0, Math.max(0, room));
            truncated = true;
            problem("the text is longer than " + MAX_TEXT_CHARS + " characters; the rest is cut");
        } else {
            text.append(s);
        }
    }

    private void problem(String s) {
        if (!problems.contains(s)) {
            problems.add(s);
        }
    }

    /** A text part decoded with its declared charset (UTF-8 when missing or unknown), at most the text cap. */
    private static String read(Part p) throws MessagingException, IOException {
        Charset cs = StandardCharsets.UTF_8;
        try {
            String declared = new ContentType(p.getContentType()).getParameter("charset");
            if (declared != null) {
                cs = Charset.forName(MimeUtility.javaCharset(declared));
            }
        } catch (RuntimeException | MessagingException e) {
            // unknown or malformed charset: read as UTF-8 (bad bytes become U+FFFD)
        }
        try (InputStream in = p.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_TEXT_CHARS * 4);
            return new String(bytes, cs);
        }
    }

    static String baseType(Part p) {
        try {
            return new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    private static String filename(Part p) {
        try {
            String f = p.getFileName();
            return f == null ? null : MimeUtility.decodeText(f);
        } catch (MessagingException | IOException | RuntimeException e) {
            return "attachment";
        }
    }

    private static long size(Part p) {
        try {
            return p.getSize();
        } catch (MessagingException e) {
            return -1;
        }
    }

    /** HTML as readable text: scripts, styles and hidden containers dropped, blocks on their own lines, no tags. */
    static String htmlToText(String html) {
        Document doc = Jsoup.parse(html);
        doc.select("script, style, noscript, template, iframe, object, embed, head, svg, math").remove();
        StringBuilder out = new StringBuilder();
        doc.body().traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.text());
                } else if (node instanceof Element e && (e.isBlock() || e.nameIs("br"))) {
                    newline(out);
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && e.isBlock()) {
                    newline(out);
                }
            }
        });
        return out.toString().replaceAll("[ \\t\\u00a0]+", " ").replaceAll(" ?\\n ?", "\n")
                .replaceAll("\\n{3,}", "\n\n").strip();
    }

    private static void newline(StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }
}

package ai.clawbot.skills.himalaya;

import java.text.Normalizer;
import java.util.Locale;

/**
 * A sender chooses an attachment's name: {@code ../../.ssh/authorized_keys}, {@code C:\x}, NUL bytes, control
 * characters, a leading dot, 4,000 characters. The saved name is its last path segment, reduced to safe characters,
 * never hidden, never empty, at most 120 characters.
 */
final class AttachmentNames {

    private static final int MAX = 120;

    private AttachmentNames() {
    }

    static String sanitise(String name, int index, String contentType) {
        String n = name == null ? "" : Normalizer.normalize(name, Normalizer.Form.NFC);
        int cut = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(cut + 1);
        n = n.replaceAll("[^\\p{L}\\p{N} ._()+-]", "_").replaceAll("_+", "_").strip();
        n = n.replaceFirst("^[.\\s_-]+", "");
        if (n.length() > MAX) {
            int dot = n.lastIndexOf('.');
            String ext = dot > 0 && n.length() - dot <= 10 ? n.substring(dot) : "";
            n = n.substring(0, MAX - ext.length()) + ext;
        }
        if (n.isEmpty() || n.equals(".") || n.equals("..")) {
            n = "attachment-" + index + extension(contentType);
        }
        return n;
    }

    private static String extension(String contentType) {
        String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (t.equals("message/rfc822")) {
            return ".eml";
        }
        if (t.startsWith("text/")) {
            return ".txt";
        }
        return ".bin";
    }
}

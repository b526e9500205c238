package ai.clawbot.skills.mcporter;

import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A server's content as text for a model, and the size cap (cut on a character boundary, with a marker). */
final class ResultText {

    private ResultText() {
    }

    static String of(List<McpSchema.Content> content) {
        StringBuilder out = new StringBuilder();
        for (McpSchema.Content c : content == null ? List.<McpSchema.Content>of() : content) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (c instanceof McpSchema.TextContent t) {
                out.append(t.text());
            } else if (c instanceof McpSchema.ImageContent i) {
                out.append("[image ").append(i.mimeType()).append(", ").append(i.data() == null ? 0 : i.data().length() * 3 / 4)
                        .append(" bytes]");
            } else if (c instanceof McpSchema.AudioContent a) {
                out.append("[audio ").append(a.mimeType()).append(", ").append(a.data() == null ? 0 : a.data().length() * 3 / 4)
                        .append(" bytes]");
            } else if (c instanceof McpSchema.EmbeddedResource r) {
                out.append(ofResources(List.of(r.resource())));
            } else if (c instanceof McpSchema.ResourceLink l) {
                out.append("[resource ").append(l.uri()).append("]");
            } else {
                out.append('[').append(c.type()).append(']');
            }
        }
        return out.toString();
    }

    static String ofResources(List<McpSchema.ResourceContents> contents) {
        StringBuilder out = new StringBuilder();
        for (McpSchema.ResourceContents c : contents) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (c instanceof McpSchema.TextResourceContents t) {
                out.append(t.text());
            } else if (c instanceof McpSchema.BlobResourceContents b) {
                out.append("[binary ").append(b.uri()).append(' ').append(b.mimeType()).append(", ")
                        .append(b.blob() == null ? 0 : b.blob().length() * 3 / 4).append(" bytes]");
            }
        }
        return out.toString();
    }

    /** {@code text} if it fits in {@code maxBytes} UTF-8 bytes, else its head and a marker saying how much was cut. */
    static String cut(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8)
                + "\n[mcporter: result cut at " + end + " of " + bytes.length + " bytes]";
    }
}

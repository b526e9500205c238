package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The tools that send: send, reply, forward (effect {@code external}: each has waited for an operator's approval
 * before it runs here), and reply_preview / forward_preview, which compose the same message and only describe it:
 * the gateway runs them to show the operator the real recipients and subject before asking. What they send is
 * checked by {@link Outgoing}.
 */
final class Sending {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_QUOTED_CHARS = 64 * 1024;
    static final int PREVIEW_LINES = 12;
    static final int PREVIEW_CHARS = 2000;

    private Sending() {
    }

    static ToolResult send(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        List<InternetAddress> to = Outgoing.addresses(args.get("to"), "to");
        List<InternetAddress> cc = Outgoing.addresses(args.get("cc"), "cc");
        List<InternetAddress> bcc = Outgoing.addresses(args.get("bcc"), "bcc");
        String subject = args.path("subject").asText("");
        Outgoing.noLineBreaks(subject, "subject");
        String body = Outgoing.body(args);
        List<MimeBodyPart> files = Outgoing.attachments(args.get("attachments"), ctx.workspace());
        try {
            MimeMessage m = new MimeMessage(store.session());
            m.setFrom(Outgoing.sender(store.account()));
            m.setRecipients(Message.RecipientType.TO, to.toArray(new Address[0]));
            m.setRecipients(Message.RecipientType.CC, cc.toArray(new Address[0]));
            m.setRecipients(Message.RecipientType.BCC, bcc.toArray(new Address[0]));
            m.setSubject(subject, "UTF-8");
            Outgoing.content(m, body, files);
            Outgoing.send(store, m);
            return sent(m, "sent");
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message", e);
        }
    }

    static ToolResult reply(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        return reply(args, store, false);
    }

    /** What {@code reply} would send (recipients, subject, first body lines), sending nothing and flagging nothing. */
    static ToolResult replyPreview(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        return reply(args, store, true);
    }

    static ToolResult forward(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        return forward(args, store, false);
    }

    /** What {@code forward} would send, sending nothing. */
    static ToolResult forwardPreview(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        return forward(args, store, true);
    }

    private static ToolResult reply(JsonNode args, MailStore store, boolean preview) throws ToolException {
        long uid = args.path("id").asLong();
        String body = Outgoing.body(args);
        Folder folder = store.folder(args.path("folder").asText(null), preview ? Folder.READ_ONLY : Folder.READ_WRITE);
        try {
            Message onServer = MailStore.byUid(folder, uid);
            MimeMessage original = Reading.local(onServer, "reply");
            // Sets Re: subject, the recipients (all: every one but us), In-Reply-To and References.
            MimeMessage r = (MimeMessage) original.reply(args.path("all").asBoolean(false), false);
            r.setFrom(Outgoing.sender(store.account()));
            if (r.getAllRecipients() == null || r.getAllRecipients().length == 0) {
                throw new ToolException("NO_RECIPIENTS", "message " + uid + " names nobody to reply to");
            }
            String quoted = MessageText.of(original).text();
            if (quoted.length() > MAX_QUOTED_CHARS) {
                quoted = quoted.substring(0, MAX_QUOTED_CHARS) + "\n[...]";
            }
            String text = body + "\n\nOn " + Envelopes.date(original.getSentDate()) + ", "
                    + Envelopes.addresses(original, "From") + " wrote:\n> " + quoted.replace("\n", "\n> ");
            if (preview) {
                return preview(r, text, List.of());
            }
            r.setText(text, "UTF-8");
            Outgoing.send(store, r);
            onServer.setFlag(jakarta.mail.Flags.Flag.ANSWERED, true);
            return sent(r, "reply to " + uid + " sent");
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message " + uid, e);
        } finally {
            Reading.close(folder);
        }
    }

    private static ToolResult forward(JsonNode args, MailStore store, boolean preview) throws ToolException {
        long uid = args.path("id").asLong();
        List<InternetAddress> to = Outgoing.addresses(args.get("to"), "to");
        String body = Outgoing.body(args);
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_ONLY);
        try {
            Message onServer = MailStore.byUid(folder, uid);
            Reading.requireSize(onServer, "forward");
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            onServer.writeTo(raw);
            MimeMessage original = new MimeMessage(store.session(), new java.io.ByteArrayInputStream(raw.toByteArray()));
            MimeMessage f = new MimeMessage(store.session());
            f.setFrom(Outgoing.sender(store.account()));
            f.setRecipients(Message.RecipientType.TO, to.toArray(new Address[0]));
            f.setSubject("Fwd: " + Envelopes.safe(original.getSubject()), "UTF-8");
            if (preview) {
                return preview(f, body, List.of("the original message (" + raw.size() + " bytes) from "
                        + Envelopes.addresses(original, "From") + ": " + Envelopes.safe(original.getSubject())));
            }
            MimeBodyPart attached = new MimeBodyPart();
            attached.setDataHandler(new DataHandler(new ByteArrayDataSource(raw.toByteArray(), "message/rfc822")));
            attached.setDisposition(MimeBodyPart.INLINE);
            Outgoing.content(f, body, List.of(attached));
            Outgoing.send(store, f);
            return sent(f, "message " + uid + " forwarded");
        } catch (MessagingException | IOException e) {
            throw new ToolException("MAIL_ERROR", "cannot forward message " + uid + ": "
                    + store.account().scrub(e.getMessage()));
        } finally {
            Reading.close(folder);
        }
    }

    /**
     * For the operator's approval: who would receive what. The body's first {@value #PREVIEW_LINES} lines (capped);
     * the gateway caps the whole again.
     */
    private static ToolResult preview(MimeMessage m, String body, List<String> attachments) throws MessagingException {
        ObjectNode out = NODES.objectNode().put("status", "preview");
        addresses(out.putArray("to"), m.getRecipients(Message.RecipientType.TO));
        addresses(out.putArray("cc"), m.getRecipients(Message.RecipientType.CC));
        addresses(out.putArray("bcc"), m.getRecipients(Message.RecipientType.BCC));
        out.put("subject", Envelopes.safe(m.getSubject()));
        String[] lines = body.split("\r?\n", -1);
        String first = String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, PREVIEW_LINES)));
        out.put("body", first.length() > PREVIEW_CHARS ? first.substring(0, PREVIEW_CHARS) + "…" : first);
        out.put("body_lines", lines.length);
        attachments.forEach(out.putArray("attachments")::add);
        return ToolResult.of("would send to " + out.path("to") + (out.path("cc").isEmpty() ? "" : " cc " + out.path("cc"))
                + ", subject '" + out.path("subject").asText() + "'\n" + out.path("body").asText(), out);
    }

    private static void addresses(com.fasterxml.jackson.databind.node.ArrayNode into, Address[] as) {
        if (as != null) {
            for (Address a : as) {
                into.add(Envelopes.safe(a instanceof InternetAddress ia ? ia.toUnicodeString() : a.toString()));
            }
        }
    }

    private static ToolResult sent(MimeMessage m, String what) throws MessagingException {
        ObjectNode out = NODES.objectNode().put("status", "sent");
        String[] id = m.getHeader("Message-ID");
        out.put("message_id", id == null ? "" : id[0]);
        out.put("subject", Envelopes.safe(m.getSubject()));
        out.put("to", Envelopes.addresses(m.getRecipients(Message.RecipientType.TO)));
        out.put("cc", Envelopes.addresses(m.getRecipients(Message.RecipientType.CC)));
        out.put("bcc", Envelopes.addresses(m.getRecipients(Message.RecipientType.BCC)));
        return ToolResult.of(what + " to " + out.path("to").asText() + " (" + out.path("message_id").asText()
                + "); a copy is in Sent", out);
    }
}

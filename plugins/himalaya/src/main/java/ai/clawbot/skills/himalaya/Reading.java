package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.IMAPFolder;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.OrTerm;
import jakarta.mail.search.RecipientStringTerm;
import jakarta.mail.search.SearchTerm;
import jakarta.mail.search.SubjectTerm;
import java.util.Arrays;
import java.util.Comparator;

/** The read tools: folders, list (envelopes), read (one message as text). */
final class Reading {

    static final long MAX_MESSAGE_BYTES = 25L * 1024 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Reading() {
    }

    static ToolResult folders(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        ArrayNode out = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        try {
            for (Folder f : store.store().getDefaultFolder().list("*")) {
                boolean holds = (f.getType() & Folder.HOLDS_MESSAGES) != 0;
                int total = holds ? f.getMessageCount() : 0;
                int unread = holds ? f.getUnreadMessageCount() : 0;
                out.addObject().put("name", f.getFullName()).put("messages", total).put("unread", unread);
                text.append(Envelopes.safe(f.getFullName())).append(" (").append(total).append(" messages, ")
                        .append(unread).append(" unread)\n");
            }
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "IMAP server", e);
        }
        ObjectNode structured = NODES.objectNode();
        structured.set("folders", out);
        return ToolResult.of(text.length() == 0 ? "no folders" : text.toString().strip(), structured);
    }

    static ToolResult list(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        int page = args.path("page").asInt(1);
        int size = args.path("page_size").asInt(10);
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_ONLY);
        try {
            Message[] page0;
            int total;
            if (args.hasNonNull("query")) {
                String q = args.path("query").asText();
                SearchTerm term = new OrTerm(new SearchTerm[] {new SubjectTerm(q), new FromStringTerm(q),
                        new RecipientStringTerm(Message.RecipientType.TO, q)});
                Message[] found = folder.search(term);
                Arrays.sort(found, Comparator.comparingInt(Message::getMessageNumber).reversed());
                total = found.length;
                int from = Math.min(total, (page - 1) * size);
                page0 = Arrays.copyOfRange(found, from, Math.min(total, from + size));
            } else {
                // Newest first: sequence numbers from the end of the folder.
                total = folder.getMessageCount();
                int hi = total - (page - 1) * size;
                int lo = Math.max(1, hi - size + 1);
                page0 = hi < 1 ? new Message[0] : folder.getMessages(lo, hi);
                java.util.Collections.reverse(Arrays.asList(page0));
            }
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add(FetchProfile.Item.FLAGS);
            fp.add(FetchProfile.Item.CONTENT_INFO);
            fp.add(UIDFolder.FetchProfileItem.UID);
            try {
                folder.fetch(page0, fp);
            } catch (MessagingException e) {
                // one hostile message can spoil the batch: each is then read on its own below
            }
            ArrayNode envelopes = NODES.arrayNode();
            StringBuilder text = new StringBuilder();
            for (Message m : page0) {
                ObjectNode e = Envelopes.envelopeOrHeaders(MailStore.uid(folder, m), m);
                envelopes.add(e);
                text.append(e.path("id").asText()).append(" | ").append(String.join(",", Envelopes.flags(m.getFlags())))
                        .append(" | ").append(e.path("date").asText()).append(" | ")
                        .append(e.at("/from/addr").asText()).append(" | ").append(e.path("subject").asText())
                        .append(e.path("has_attachment").asBoolean() ? " | attachment" : "").append('\n');
            }
            ObjectNode structured = NODES.objectNode().put("folder", folder.getFullName()).put("page", page)
                    .put("page_size", size).put("total", total);
            structured.set("envelopes", envelopes);
            String head = "Folder " + folder.getFullName() + ", page " + page + " (" + envelopes.size() + " of "
                    + total + "); id | flags | date | from | subject";
            return ToolResult.of(envelopes.isEmpty() ? head + "\nno messages" : head + "\n"
                    + UntrustedContent.wrap("mail envelopes (senders wrote the subjects)", text.toString().strip()), structured);
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "folder '" + folder.getFullName() + "'", e);
        } finally {
            close(folder);
        }
    }

    static ToolResult read(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        long uid = args.path("id").asLong();
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_WRITE);
        try {
            Message m = local(MailStore.byUid(folder, uid), "read");
            MessageText body = MessageText.of(m);
            ObjectNode out = NODES.objectNode().put("id", String.valueOf(uid)).put("folder", folder.getFullName());
            out.put("from", Envelopes.addresses(m, "From"));
            out.put("to", Envelopes.addresses(m, "To"));
            out.put("cc", Envelopes.addresses(m, "Cc"));
            out.put("date", Envelopes.date(m.getSentDate()));
            out.put("subject", Envelopes.safe(m.getSubject()));
            String[] ids = m.getHeader("Message-ID");
            out.put("message_id", ids == null ? "" : Envelopes.safe(ids[0]));
            Envelopes.flags(m.getFlags()).forEach(out.putArray("flags")::add);
            out.put("text", body.text());
            out.put("truncated", body.truncated());
            ArrayNode atts = out.putArray("attachments");
            for (MessageText.Attachment a : body.attachments()) {
                atts.addObject().put("index", a.index()).put("filename", a.filename()).put("content_type", a.contentType())
                        .put("size", a.size());
            }
            body.problems().forEach(out.putArray("problems")::add);
            StringBuilder text = new StringBuilder();
            text.append("From: ").append(out.path("from").asText()).append('\n')
                    .append("To: ").append(out.path("to").asText()).append('\n');
            if (!out.path("cc").asText().isEmpty()) {
                text.append("Cc: ").append(out.path("cc").asText()).append('\n');
            }
            text.append("Date: ").append(out.path("date").asText()).append('\n')
                    .append("Subject: ").append(out.path("subject").asText()).append("\n\n").append(body.text());
            for (MessageText.Attachment a : body.attachments()) {
                text.append("\n[attachment ").append(a.index()).append(": ").append(a.filename()).append(", ")
                        .append(a.contentType()).append(a.size() >= 0 ? ", " + a.size() + " bytes" : "").append(']');
            }
            for (String p : body.problems()) {
                text.append("\n[note: ").append(p).append(']');
            }
            return ToolResult.of("Message " + uid + " in " + folder.getFullName() + "\n"
                    + UntrustedContent.wrap("email from " + out.path("from").asText(), text.toString()), out);
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message " + uid, e);
        } finally {
            close(folder);
        }
    }

    /**
     * The whole message fetched once (it is marked seen, as a mail client does) and parsed here, not by the server:
     * a header the server's ENVELOPE cannot express still reads, and parts are not fetched one round trip each.
     */
    static MimeMessage local(Message m, String what) throws ToolException, MessagingException {
        requireSize(m, what);
        return new MimeMessage((MimeMessage) m);
    }

    /** A message too large to fetch into the sandbox's memory is refused before a byte of it is read. */
    static void requireSize(Message m, String what) throws ToolException, MessagingException {
        // RFC822.SIZE alone: Angus would otherwise load the ENVELOPE too, which a hostile header can spoil.
        FetchProfile fp = new FetchProfile();
        fp.add(IMAPFolder.FetchProfileItem.SIZE);
        m.getFolder().fetch(new Message[] {m}, fp);
        int size = m.getSize();
        if (size > MAX_MESSAGE_BYTES) {
            throw new ToolException("TOO_LARGE", "message is " + size / (1024 * 1024) + " MiB; " + what
                    + " handles messages up to " + MAX_MESSAGE_BYTES / (1024 * 1024) + " MiB (list still shows it)");
        }
    }

    static void close(Folder f) {
        try {
            if (f != null && f.isOpen()) {
                f.close(false);
            }
        } catch (MessagingException e) {
            // nothing to undo
        }
    }
}

package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Outgoing mail: every address checked strictly (RFC 5322 by the mail library), CR/LF refused in addresses and the
 * subject (header injection), bodies and attachments capped, then sent over SMTP and a copy appended to Sent.
 */
final class Outgoing {

    static final int MAX_BODY_CHARS = 1024 * 1024;
    static final long MAX_ATTACHMENTS_BYTES = 20L * 1024 * 1024;

    private Outgoing() {
    }

    /** The addresses of a JSON array, each one strict RFC 5322 and free of line breaks. */
    static List<InternetAddress> addresses(JsonNode list, String field) throws ToolException {
        List<InternetAddress> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        for (JsonNode n : list) {
            String raw = n.asText();
            noLineBreaks(raw, field);
            try {
                InternetAddress[] parsed = InternetAddress.parseHeader(raw, true);
                if (parsed.length != 1) {
                    throw new AddressException("one address per entry");
                }
                parsed[0].validate();
                if (parsed[0].isGroup() || !parsed[0].getAddress().contains("@")) {
                    throw new AddressException("not a mailbox address");
                }
                out.add(parsed[0]);
            } catch (AddressException e) {
                throw new ToolException("BAD_ADDRESS", field + ": '" + Envelopes.safe(raw) + "' is not a valid email "
                        + "address (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    static void noLineBreaks(String value, String field) throws ToolException {
        if (value != null && value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new ToolException("HEADER_INJECTION", field + " contains a line break or NUL: refused (it could add "
                    + "headers or recipients)");
        }
    }

    static String body(JsonNode args) throws ToolException {
        String body = args.path("body").asText("");
        if (body.length() > MAX_BODY_CHARS) {
            throw new ToolException("TOO_LARGE", "the body has " + body.length() + " characters; at most "
                    + MAX_BODY_CHARS + " are sent");
        }
        return body;
    }

    static InternetAddress sender(MailAccount account) throws ToolException {
        noLineBreaks(account.from(), "from");
        noLineBreaks(account.displayName(), "display_name");
        try {
            InternetAddress a = new InternetAddress(account.from(), true);
            if (!account.displayName().isBlank()) {
                a.setPersonal(account.displayName(), "UTF-8");
            }
            return a;
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new ToolException("NOT_CONFIGURED", "the configured from address is not valid: " + e.getMessage());
        }
    }

    /** Workspace files as attachment parts; each a regular file inside the workspace, the total capped. */
    static List<MimeBodyPart> attachments(JsonNode paths, Path workspace) throws ToolException {
        List<MimeBodyPart> out = new ArrayList<>();
        if (paths == null || paths.isEmpty()) {
            return out;
        }
        ConfinedRoot root;
        try {
            root = ConfinedRoot.open(workspace, "workspace");
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "no workspace is mounted for attachments");
        }
        long total = 0;
        for (JsonNode p : paths) {
            Path file = root.existing(p.asText());
            if (!Files.isRegularFile(file)) {
                throw new ToolException("NOT_A_FILE", "'" + p.asText() + "' is not a file");
            }
            try {
                total += Files.size(file);
            } catch (IOException e) {
                throw new ToolException("NOT_FOUND", "cannot read '" + p.asText() + "'");
            }
            if (total > MAX_ATTACHMENTS_BYTES) {
                throw new ToolException("TOO_LARGE", "attachments add up to more than " + MAX_ATTACHMENTS_BYTES / (1024 * 1024)
                        + " MiB; nothing was sent");
            }
            try {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new FileDataSource(file.toFile())));
                part.setFileName(file.getFileName().toString());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                out.add(part);
            } catch (MessagingException e) {
                throw new ToolException("BAD_ATTACHMENT", "cannot attach '" + p.asText() + "': " + e.getMessage());
            }
        }
        return out;
    }

    /** A body text and parts as the message's content: plain text alone, or multipart/mixed. */
    static void content(MimeMessage m, String body, List<MimeBodyPart> parts) throws MessagingException {
        if (parts.isEmpty()) {
            m.setText(body, "UTF-8");
            return;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body, "UTF-8");
        mixed.addBodyPart(text);
        for (MimeBodyPart p : parts) {
            mixed.addBodyPart(p);
        }
        m.setContent(mixed);
    }

    /** Sends over SMTP, then appends a copy (seen) to the Sent folder. */
    static void send(MailStore store, MimeMessage m) throws ToolException {
        MailAccount account = store.account();
        try {
            m.setSentDate(new Date());
            m.saveChanges();
            Address[] all = m.getAllRecipients();
            if (all == null || all.length == 0) {
                throw new ToolException("NO_RECIPIENTS", "the message has no recipients");
            }
            try (Transport t = store.session().getTransport(account.smtpProtocol())) {
                t.connect(account.smtp().host(), account.smtp().port(), account.username(), account.password());
                t.sendMessage(m, all);
            }
        } catch (MessagingException e) {
            throw MailStore.failure(account, "SMTP server " + account.smtp(), e);
        }
        try {
            Folder sent = store.ensureFolder(account.sent());
            m.setFlag(Flags.Flag.SEEN, true);
            // Bcc stays in the Sent copy (the sender's record), as mail clients keep it.
            sent.appendMessages(new Message[] {m});
        } catch (MessagingException e) {
            throw new ToolException("SENT_COPY_FAILED", "the message was sent, but its copy could not be added to '"
                    + account.sent() + "': " + account.scrub(e.getMessage()));
        }
    }
}

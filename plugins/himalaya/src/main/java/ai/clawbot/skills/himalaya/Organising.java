package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.api.ToolResult;
import ai.clawbot.plugin.fs.ConfinedRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;

/** The tools that change folders and the workspace: move, copy, delete (to Trash), flag, attachment_download. */
final class Organising {

    static final long MAX_ATTACHMENT_BYTES = 25L * 1024 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Organising() {
    }

    static ToolResult move(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        return transfer(args, store, true);
    }

    static ToolResult copy(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        return transfer(args, store, false);
    }

    private static ToolResult transfer(JsonNode args, MailStore store, boolean move) throws ToolException {
        long uid = args.path("id").asLong();
        String to = args.path("to").asText();
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_WRITE);
        try {
            Folder target = store.store().getFolder(to);
            if (!target.exists()) {
                throw new ToolException("NO_FOLDER", "no folder '" + to + "'");
            }
            if (target.getFullName().equals(folder.getFullName())) {
                throw new ToolException("SAME_FOLDER", "message " + uid + " is already in '" + to + "'");
            }
            long newId = transfer(folder, MailStore.byUid(folder, uid), target, move);
            ObjectNode out = NODES.objectNode().put("id", String.valueOf(uid)).put("from", folder.getFullName())
                    .put("to", target.getFullName()).put("new_id", newId > 0 ? String.valueOf(newId) : null);
            return ToolResult.of("message " + uid + (move ? " moved" : " copied") + " from " + folder.getFullName()
                    + " to " + target.getFullName() + (newId > 0 ? " (its id there: " + newId + ")" : ""), out);
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message " + uid, e);
        } finally {
            Reading.close(folder);
        }
    }

    /** MOVE (or COPY) by UID; the new UID when the server reports it (UIDPLUS), else -1. */
    private static long transfer(Folder folder, Message m, Folder target, boolean move) throws MessagingException {
        if (folder instanceof IMAPFolder imap) {
            // Angus uses IMAP MOVE when the server has it, else COPY + \Deleted + EXPUNGE of just this message.
            AppendUID[] ids = move ? imap.moveUIDMessages(new Message[] {m}, target)
                    : imap.copyUIDMessages(new Message[] {m}, target);
            return ids != null && ids.length == 1 && ids[0] != null ? ids[0].uid : -1;
        }
        folder.copyMessages(new Message[] {m}, target);
        if (move) {
            m.setFlag(Flags.Flag.DELETED, true);
            folder.expunge();
        }
        return -1;
    }

    static ToolResult delete(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        long uid = args.path("id").asLong();
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_WRITE);
        String trash = store.account().trash();
        try {
            Message m = MailStore.byUid(folder, uid);
            if (folder.getFullName().equalsIgnoreCase(trash)) {
                m.setFlag(Flags.Flag.DELETED, true);
                if (folder instanceof IMAPFolder imap) {
                    imap.expunge(new Message[] {m});
                } else {
                    folder.expunge();
                }
                return ToolResult.of("message " + uid + " removed from " + trash + " for good",
                        NODES.objectNode().put("id", String.valueOf(uid)).put("expunged", true));
            }
            Folder target = store.ensureFolder(trash);
            long newId = transfer(folder, m, target, true);
            return ToolResult.of("message " + uid + " moved to " + trash, NODES.objectNode().put("id", String.valueOf(uid))
                    .put("to", trash).put("new_id", newId > 0 ? String.valueOf(newId) : null));
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message " + uid, e);
        } finally {
            Reading.close(folder);
        }
    }

    static ToolResult flag(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        long uid = args.path("id").asLong();
        Flags add = flags(args.get("add"));
        Flags remove = flags(args.get("remove"));
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_WRITE);
        try {
            Message m = MailStore.byUid(folder, uid);
            if (add.getSystemFlags().length + add.getUserFlags().length > 0) {
                m.setFlags(add, true);
            }
            if (remove.getSystemFlags().length + remove.getUserFlags().length > 0) {
                m.setFlags(remove, false);
            }
            ArrayNode now = NODES.arrayNode();
            Envelopes.flags(m.getFlags()).forEach(now::add);
            ObjectNode out = NODES.objectNode().put("id", String.valueOf(uid));
            out.set("flags", now);
            return ToolResult.of("message " + uid + " flags: " + String.join(", ", Envelopes.flags(m.getFlags())), out);
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message " + uid, e);
        } finally {
            Reading.close(folder);
        }
    }

    private static Flags flags(JsonNode names) {
        Flags f = new Flags();
        if (names == null) {
            return f;
        }
        for (JsonNode n : names) {
            String name = n.asText().replaceFirst("^\\\\", "");
            switch (name.toLowerCase(Locale.ROOT)) {
                case "seen" -> f.add(Flags.Flag.SEEN);
                case "answered" -> f.add(Flags.Flag.ANSWERED);
                case "flagged" -> f.add(Flags.Flag.FLAGGED);
                case "deleted" -> f.add(Flags.Flag.DELETED);
                case "draft" -> f.add(Flags.Flag.DRAFT);
                default -> f.add(name);
            }
        }
        return f;
    }

    static ToolResult attachmentDownload(JsonNode args, MailStore store, ToolContext ctx) throws ToolException {
        long uid = args.path("id").asLong();
        String dir = args.path("dir").asText();
        ConfinedRoot root;
        try {
            root = ConfinedRoot.open(ctx.workspace(), "workspace");
        } catch (IOException e) {
            throw new ToolException("NO_WORKSPACE", "no workspace is mounted");
        }
        Folder folder = store.folder(args.path("folder").asText(null), Folder.READ_ONLY);
        try {
            MessageText parts = MessageText.of(Reading.local(MailStore.byUid(folder, uid), "attachment_download"));
            ArrayNode files = NODES.arrayNode();
            StringBuilder text = new StringBuilder();
            for (MessageText.Attachment a : parts.attachments()) {
                Path target = save(root, dir, a);
                long size = Files.size(target);
                files.addObject().put("index", a.index()).put("filename", target.getFileName().toString())
                        .put("path", root.relative(target)).put("content_type", a.contentType()).put("size", size);
                text.append(root.relative(target)).append(" (").append(size).append(" bytes)\n");
            }
            ObjectNode out = NODES.objectNode().put("id", String.valueOf(uid));
            out.set("files", files);
            return ToolResult.of(files.isEmpty() ? "message " + uid + " has no attachments"
                    : "saved " + files.size() + " attachment(s):\n" + text.toString().strip(), out);
        } catch (MessagingException e) {
            throw MailStore.failure(store.account(), "message " + uid, e);
        } catch (IOException e) {
            throw new ToolException("WRITE_FAILED", "cannot save the attachments of message " + uid + ": " + e.getMessage());
        } finally {
            Reading.close(folder);
        }
    }

    /** One attachment into {@code dir}, under its sanitised name (a numbered variant when taken), size-capped. */
    private static Path save(ConfinedRoot root, String dir, MessageText.Attachment a)
            throws ToolException, IOException, MessagingException {
        String name = a.filename();
        for (int n = 0; n < 1000; n++) {
            String candidate = n == 0 ? name : numbered(name, n);
            Path target = root.forWrite(dir + "/" + candidate);
            Files.createDirectories(target.getParent());
            // Created folders are checked again: the name must still lead inside the workspace.
            target = root.forWrite(dir + "/" + candidate);
            try (InputStream in = a.part().getInputStream();
                 OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                         StandardOpenOption.WRITE)) {
                in.transferTo(new CappedOutput(out, MAX_ATTACHMENT_BYTES));
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken: try the next number
            } catch (CappedOutput.TooLarge e) {
                Files.deleteIfExists(target);
                throw new ToolException("TOO_LARGE", "attachment '" + name + "' is larger than "
                        + MAX_ATTACHMENT_BYTES / (1024 * 1024) + " MiB; it was not saved");
            }
        }
        throw new ToolException("WRITE_FAILED", "too many files named like '" + name + "' in '" + dir + "'");
    }

    private static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
    }

    /** An output stream that refuses to grow past a cap. */
    private static final class CappedOutput extends java.io.FilterOutputStream {
        static final class TooLarge extends IOException {
            TooLarge() {
                super("over the cap");
            }
        }

        private final long cap;
        private long written;

        CappedOutput(OutputStream out, long cap) {
            super(out);
            this.cap = cap;
        }

        @Override
        public void write(int b) throws IOException {
            grow(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            grow(len);
            out.write(b, off, len);
        }

        private void grow(long n) throws TooLarge {
            written += n;
            if (written > cap) {
                throw new TooLarge();
            }
        }
    }
}

package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.ToolException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * One IMAP connection for one tool call (opened, used, closed: nothing lingers between calls), with the folder and
 * message look-ups the tools share. Every failure becomes a typed {@link ToolException} whose text never carries
 * the password.
 */
final class MailStore implements AutoCloseable {

    static final String INBOX = "INBOX";

    private final MailAccount account;
    private final Session session;
    private final Store store;

    private MailStore(MailAccount account, Session session, Store store) {
        this.account = account;
        this.session = session;
        this.store = store;
    }

    static MailStore open(MailAccount account, Map<String, String> env) throws ToolException {
        Session session = account.session(env);
        try {
            Store store = session.getStore(account.imapProtocol());
            store.connect(account.imap().host(), account.imap().port(), account.username(), account.password());
            return new MailStore(account, session, store);
        } catch (MessagingException e) {
            throw failure(account, "IMAP server " + account.imap(), e);
        }
    }

    Session session() {
        return session;
    }

    MailAccount account() {
        return account;
    }

    Store store() {
        return store;
    }

    /** An existing folder, opened; {@code null} or blank names INBOX. */
    Folder folder(String name, int mode) throws ToolException {
        String n = name == null || name.isBlank() ? INBOX : name;
        try {
            Folder f = store.getFolder(n);
            if (!f.exists()) {
                throw new ToolException("NO_FOLDER", "no folder '" + n + "'");
            }
            f.open(mode);
            return f;
        } catch (FolderNotFoundException e) {
            throw new ToolException("NO_FOLDER", "no folder '" + n + "'");
        } catch (MessagingException e) {
            throw failure(account, "folder '" + n + "'", e);
        }
    }

    /** A folder that is created when missing (Trash, Sent). */
    Folder ensureFolder(String name) throws ToolException {
        try {
            Folder f = store.getFolder(name);
            if (!f.exists() && !f.create(Folder.HOLDS_MESSAGES)) {
                throw new ToolException("NO_FOLDER", "folder '" + name + "' does not exist and cannot be created");
            }
            return f;
        } catch (MessagingException e) {
            throw failure(account, "folder '" + name + "'", e);
        }
    }

    /** The message with this UID in an open folder. */
    static Message byUid(Folder folder, long uid) throws ToolException {
        try {
            Message m = ((UIDFolder) folder).getMessageByUID(uid);
            if (m == null || m.isExpunged()) {
                throw new ToolException("NOT_FOUND", "no message with id " + uid + " in '" + folder.getFullName() + "'");
            }
            return m;
        } catch (MessagingException e) {
            throw new ToolException("IMAP_ERROR", "cannot fetch message " + uid + ": " + e.getMessage());
        }
    }

    static long uid(Folder folder, Message m) throws MessagingException {
        return ((UIDFolder) folder).getUID(m);
    }

    /** A mail failure as a typed error: AUTH for a refused login, UNREACHABLE for the network, else MAIL_ERROR. */
    static ToolException failure(MailAccount account, String what, MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return new ToolException("AUTH", "the " + what + " refused the login for user '" + account.username()
                    + "' (wrong password or user?): " + account.scrub(e.getMessage()));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
                return new ToolException("UNREACHABLE", "cannot reach the " + what + ": " + account.scrub(t.getMessage())
                        + " (is it granted in plugins.entries.himalaya.config, and up?)");
            }
        }
        String detail = e.getMessage();
        if (e.getNextException() != null) {
            detail = detail + ": " + e.getNextException().getMessage();
        }
        return new ToolException("MAIL_ERROR", what + ": " + account.scrub(detail));
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (MessagingException e) {
            // the call's result is already decided; a failed LOGOUT changes nothing
        }
    }
}

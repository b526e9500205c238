package ai.clawbot.host.himalaya;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * GreenMail in the test JVM as the real mail server (SMTP and IMAP on loopback, dynamic ports), with the account
 * {@code ada} and a plain Angus Mail client to check what the server holds, independently of the skill.
 */
final class MailServerFixture implements AutoCloseable {

    final GreenMail mail;
    final GreenMailUser ada;
    final String password;

    MailServerFixture(String password) {
        this.password = password;
        mail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        ada = mail.setUser("ada@example.com", "ada", password);
    }

    int imapPort() {
        return mail.getImap().getPort();
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    /** The skill's settings for this server: plain, allowed because the operator wrote a loopback IP literal. */
    String settingsJson() {
        return """
                {"imap": {"server": "127.0.0.1:%d", "security": "plain"},
                 "smtp": {"server": "127.0.0.1:%d", "security": "plain"},
                 "username": "ada", "from": "ada@example.com", "display_name": "Ada Lovelace"}
                """.formatted(imapPort(), smtpPort());
    }

    /** Delivers raw RFC 5322 text into ada's INBOX (as another MTA would); returns its UID. */
    long deliver(String raw) throws Exception {
        return deliver(raw.getBytes(StandardCharsets.UTF_8));
    }

    long deliver(byte[] raw) throws Exception {
        ada.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
        return lastUid("INBOX");
    }

    long lastUid(String folder) throws Exception {
        try (Client c = client()) {
            Folder f = c.open(folder);
            Message[] ms = f.getMessages();
            return ms.length == 0 ? -1 : ((UIDFolder) f).getUID(ms[ms.length - 1]);
        }
    }

    /** Subjects of a folder, oldest first. */
    List<String> subjects(String folder) throws Exception {
        try (Client c = client()) {
            Folder f = c.store.getFolder(folder);
            List<String> out = new ArrayList<>();
            if (!f.exists()) {
                return out;
            }
            f.open(Folder.READ_ONLY);
            for (Message m : f.getMessages()) {
                out.add(m.getSubject());
            }
            return out;
        }
    }

    Flags flags(String folder, long uid) throws Exception {
        try (Client c = client()) {
            Folder f = c.open(folder);
            return ((UIDFolder) f).getMessageByUID(uid).getFlags();
        }
    }

    /** Every message the server received over SMTP for this recipient (any mailbox). */
    List<MimeMessage> receivedFor(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (m.getAllRecipients() != null) {
                for (var a : m.getAllRecipients()) {
                    if (a.toString().contains(address)) {
                        out.add(m);
                        break;
                    }
                }
            }
        }
        return out;
    }

    Client client() throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", imapPort(), "ada", password);
        return new Client(store);
    }

    record Client(Store store) implements AutoCloseable {
        Folder open(String name) throws Exception {
            Folder f = store.getFolder(name);
            f.open(Folder.READ_ONLY);
            return f;
        }

        @Override
        public void close() throws Exception {
            store.close();
        }
    }

    @Override
    public void close() {
        mail.stop();
    }
}

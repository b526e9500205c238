package ai.clawbot.skills.himalaya;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/** Messages as himalaya's envelope JSON: {@code {id, flags[], subject, from:{name,addr}, to:{name,addr}, date, has_attachment}}. */
final class Envelopes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mmxxx", Locale.ROOT);

    private Envelopes() {
    }

    static ObjectNode envelope(long uid, Message m) throws MessagingException {
        ObjectNode e = NODES.objectNode().put("id", String.valueOf(uid));
        flags(m.getFlags()).forEach(e.putArray("flags")::add);
        e.put("subject", safe(m.getSubject()));
        e.set("from", address(first(m.getFrom())));
        e.set("to", address(first(m.getRecipients(Message.RecipientType.TO))));
        e.put("date", date(m.getSentDate() != null ? m.getSentDate() : m.getReceivedDate()));
        e.put("has_attachment", m.isMimeType("multipart/mixed"));
        return e;
    }

    /**
     * The envelope, or when the server's ENVELOPE of a hostile message cannot be parsed, the same fields read
     * leniently from the raw headers; an unreadable message still gets a line with its id.
     */
    static ObjectNode envelopeOrHeaders(long uid, Message m) {
        try {
            return envelope(uid, m);
        } catch (MessagingException | RuntimeException e) {
            ObjectNode o = NODES.objectNode().put("id", String.valueOf(uid));
            ArrayNode flags = o.putArray("flags");
            try {
                flags(m.getFlags()).forEach(flags::add);
            } catch (MessagingException | RuntimeException ignored) {
                // no flags shown
            }
            o.put("subject", decoded(header(m, "Subject")));
            o.set("from", address(lenient(header(m, "From"))));
            o.set("to", address(lenient(header(m, "To"))));
            o.put("date", safe(header(m, "Date")));
            o.put("has_attachment", false);
            return o;
        }
    }

    private static String header(Message m, String name) {
        try {
            String[] v = m.getHeader(name);
            return v == null || v.length == 0 ? "" : v[0];
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    private static String decoded(String s) {
        try {
            return safe(MimeUtility.decodeText(s));
        } catch (java.io.UnsupportedEncodingException | RuntimeException e) {
            return safe(s);
        }
    }

    private static Address lenient(String s) {
        try {
            InternetAddress[] as = InternetAddress.parseHeader(s, false);
            return as.length == 0 ? null : as[0];
        } catch (MessagingException | RuntimeException e) {
            return s.isEmpty() ? null : new Unparsed(s);
        }
    }

    /** An address header that does not parse, kept as text. */
    private static final class Unparsed extends Address {
        private final String text;

        Unparsed(String text) {
            this.text = text;
        }

        @Override
        public String getType() {
            return "unparsed";
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unparsed u && u.text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }

    /** Flags as himalaya names them (Seen, Answered, Flagged, Deleted, Draft, then keywords). */
    static List<String> flags(Flags f) {
        List<String> out = new ArrayList<>();
        if (f.contains(Flags.Flag.SEEN)) {
            out.add("Seen");
        }
        if (f.contains(Flags.Flag.ANSWERED)) {
            out.add("Answered");
        }
        if (f.contains(Flags.Flag.FLAGGED)) {
            out.add("Flagged");
        }
        if (f.contains(Flags.Flag.DELETED)) {
            out.add("Deleted");
        }
        if (f.contains(Flags.Flag.DRAFT)) {
            out.add("Draft");
        }
        out.addAll(List.of(f.getUserFlags()));
        return out;
    }

    static ObjectNode address(Address a) {
        ObjectNode o = NODES.objectNode();
        if (a instanceof InternetAddress ia) {
            o.put("name", ia.getPersonal() == null ? null : safe(ia.getPersonal()));
            o.put("addr", safe(ia.getAddress()));
        } else {
            o.putNull("name");
            o.put("addr", a == null ? "" : safe(a.toString()));
        }
        return o;
    }

    static String date(Date d) {
        return d == null ? "" : DATE.format(d.toInstant().atOffset(ZoneOffset.UTC));
    }

    /** An address header of a parsed message, leniently: what does not parse is shown as (one-line) text. */
    static String addresses(Message m, String name) {
        String raw = header(m, name);
        if (raw.isEmpty()) {
            return "";
        }
        try {
            return addresses(InternetAddress.parseHeader(raw, false));
        } catch (MessagingException | RuntimeException e) {
            return decoded(raw);
        }
    }

    static String addresses(Address[] as) {
        if (as == null || as.length == 0) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Address a : as) {
            out.add(safe(a instanceof InternetAddress ia ? ia.toUnicodeString() : a.toString()));
        }
        return String.join(", ", out);
    }

    private static Address first(Address[] as) {
        return as == null || as.length == 0 ? null : as[0];
    }

    /** Header text on one line: control characters (a hostile header's CR/LF, NUL, escapes) become spaces. */
    static String safe(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ").strip();
    }
}

package ai.clawbot.skills.himalaya;

import ai.clawbot.plugin.api.ToolContext;
import ai.clawbot.plugin.api.ToolException;
import ai.clawbot.plugin.net.ProxyEnv;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The one account a skill entry configures ({@code plugins.entries.himalaya.config}) and its password (the vault
 * secret {@value #PASSWORD_SECRET}, read from its file on every call: a rotated secret restarts the container).
 * {@code plain} is refused unless the server is a loopback or private IP literal: the config schema checks it when
 * the operator writes it, and this class again, so a password never crosses a public network in clear.
 */
record MailAccount(Endpoint imap, Endpoint smtp, String username, String from, String displayName, String trash,
                   String sent, String password) {

    static final String PASSWORD_SECRET = "MAIL_PASSWORD";
    private static final int TIMEOUT_MS = 30_000;

    enum Security { TLS, STARTTLS, PLAIN }

    /** A server the operator named, as {@code host:port} and how to secure it. */
    record Endpoint(String host, int port, Security security) {

        static Endpoint parse(JsonNode node, String name) throws ToolException {
            String server = node.path("server").asText("");
            if (server.isBlank()) {
                throw new ToolException("NOT_CONFIGURED", "no " + name + " server: set plugins.entries.himalaya.config."
                        + name + ".server (host:port) in openclaw.json");
            }
            int colon = server.lastIndexOf(':');
            String host = colon > 0 ? server.substring(0, colon) : "";
            int port;
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new ToolException("NOT_CONFIGURED", name + ".server must be host:port, not '" + server + "'");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            Security security;
            try {
                security = Security.valueOf(node.path("security").asText("tls").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ToolException("NOT_CONFIGURED", name + ".security must be tls, starttls or plain");
            }
            if (security == Security.PLAIN && !privateLiteral(host)) {
                throw new ToolException("PLAIN_NOT_ALLOWED", name + ".security plain is allowed only for a loopback or "
                        + "private IP address written as such (not '" + host + "'); use tls or starttls");
            }
            return new Endpoint(host, port, security);
        }

        /** A loopback or private address written as an IP literal (no name lookup: a name could resolve anywhere). */
        static boolean privateLiteral(String host) {
            if (!host.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
                return false;
            }
            try {
                InetAddress a = InetAddress.getByName(host);
                boolean uniqueLocal = a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc;
                return a.isLoopbackAddress() || a.isSiteLocalAddress() || uniqueLocal;
            } catch (UnknownHostException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static MailAccount from(ToolContext ctx) throws ToolException {
        JsonNode s = ctx.settings();
        Endpoint imap = Endpoint.parse(s.path("imap"), "imap");
        Endpoint smtp = Endpoint.parse(s.path("smtp"), "smtp");
        String username = s.path("username").asText("");
        if (username.isBlank()) {
            throw new ToolException("NOT_CONFIGURED", "no username: set plugins.entries.himalaya.config.username");
        }
        String from = s.path("from").asText("");
        if (from.isBlank()) {
            throw new ToolException("NOT_CONFIGURED", "no sender address: set plugins.entries.himalaya.config.from");
        }
        String password;
        try {
            password = ctx.secret(PASSWORD_SECRET).map(MailAccount::stripNewline).filter(p -> !p.isEmpty())
                    .orElseThrow(() -> new ToolException("NO_PASSWORD", "no mail password: store it with `claw secrets "
                            + "set " + PASSWORD_SECRET + "` (it is mounted as a file, never passed in the environment)"));
        } catch (IOException e) {
            throw new ToolException("NO_PASSWORD", "cannot read the " + PASSWORD_SECRET + " secret file");
        }
        return new MailAccount(imap, smtp, username, from, s.path("display_name").asText(""),
                s.path("trash").asText("Trash"), s.path("sent").asText("Sent"), password);
    }

    /** A trailing newline from {@code echo pw | claw secrets set} is not part of the password; spaces may be. */
    private static String stripNewline(String s) {
        return s.replaceAll("[\\r\\n]+$", "");
    }

    String imapProtocol() {
        return imap.security == Security.TLS ? "imaps" : "imap";
    }

    String smtpProtocol() {
        return smtp.security == Security.TLS ? "smtps" : "smtp";
    }

    /**
     * The session for both servers. Each connection goes through the sandbox's egress proxy (HTTP CONNECT), which
     * Angus Mail opens itself when {@code mail.<protocol>.proxy.host} is set; without a proxy (tests in-JVM) it
     * connects directly.
     */
    Session session(Map<String, String> env) {
        Properties p = new Properties();
        endpoint(p, imapProtocol(), imap, env);
        endpoint(p, smtpProtocol(), smtp, env);
        p.put("mail." + smtpProtocol() + ".auth", "true");
        p.put("mail.from", from);
        p.put("mail.store.protocol", imapProtocol());
        p.put("mail.transport.protocol", smtpProtocol());
        p.put("mail.mime.address.strict", "true");
        // Large folders: fetch what list needs in one round trip, not per message.
        p.put("mail." + imapProtocol() + ".fetchsize", "1048576");
        return Session.getInstance(p);
    }

    private static void endpoint(Properties p, String protocol, Endpoint e, Map<String, String> env) {
        String k = "mail." + protocol + ".";
        p.put(k + "host", e.host);
        p.put(k + "port", String.valueOf(e.port));
        p.put(k + "connectiontimeout", String.valueOf(TIMEOUT_MS));
        p.put(k + "timeout", String.valueOf(TIMEOUT_MS));
        p.put(k + "writetimeout", String.valueOf(TIMEOUT_MS));
        if (e.security == Security.TLS) {
            p.put(k + "ssl.enable", "true");
        }
        if (e.security == Security.STARTTLS) {
            p.put(k + "starttls.enable", "true");
            p.put(k + "starttls.required", "true");
        }
        if (e.security != Security.PLAIN) {
            p.put(k + "ssl.checkserveridentity", "true");
        }
        InetSocketAddress proxy = proxy(e, env);
        if (proxy != null) {
            p.put(k + "proxy.host", proxy.getAddress().getHostAddress());
            p.put(k + "proxy.port", String.valueOf(proxy.getPort()));
        }
    }

    /** The HTTP proxy the sandbox names for this server (HTTPS_PROXY: a mail connection is a CONNECT tunnel). */
    private static InetSocketAddress proxy(Endpoint e, Map<String, String> env) {
        for (Proxy candidate : ProxyEnv.of(env).select(URI.create("https://" + e))) {
            if (candidate.type() == Proxy.Type.HTTP && candidate.address() instanceof InetSocketAddress a
                    && !a.isUnresolved()) {
                return a;
            }
        }
        return null;
    }

    /** The text with the password removed, for messages that may quote what a server or library said. */
    String scrub(String text) {
        if (text == null) {
            return "";
        }
        return password.isEmpty() ? text : text.replace(password, "[redacted]");
    }
}

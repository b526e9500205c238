package ai.clawbot.bench;

import ai.clawbot.host.wiring.Gateways;

import ai.clawbot.host.gateway.Gateway;
import ai.clawbot.host.gateway.GatewayConfig;
import ai.clawbot.host.config.StateDir;
import ai.clawbot.host.secrets.FileVault;
import ai.clawbot.signing.Keys;
import ai.clawbot.signing.PluginSigner;
import ai.clawbot.signing.TrustStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The himalaya skill through the gateway against Angus Mail called directly, same run, same GreenMail server holding
 * 1,000 messages: {@code list} of 1,000 envelopes and {@code read} of one message. Each gateway call goes over the
 * WebSocket ({@code tools.invoke}) to the warm sandboxed tool server, which opens its own IMAP connection through
 * the egress proxy; the baseline opens its own connection too, fetches the same items and parses the same message.
 * Not part of the test suite: {@code ./bench/run-himalaya.sh [iterations=20] [warmup=5]}.
 */
public final class HimalayaBench {

    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String PASSWORD = "bench-mail-password";
    private static final int MESSAGES = 1000;
    private static final String SESSION = "agent:default:bench-himalaya";

    private HimalayaBench() {
    }

    public static void main(String[] args) throws Exception {
        Path pluginTarget = Path.of(args[0]);
        int iterations = args.length > 1 ? Integer.parseInt(args[1].replaceFirst("^iterations=", "")) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2].replaceFirst("^warmup=", "")) : 5;
        Logger.getLogger("").setLevel(Level.WARNING);
        GreenMail mail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        Path root = Files.createTempDirectory("claw-himalaya-bench");
        try {
            GreenMailUser ada = mail.setUser("ada@example.com", "ada", PASSWORD);
            Session plain = Session.getInstance(new Properties());
            for (int i = 1; i <= MESSAGES; i++) {
                ada.deliver(new MimeMessage(plain, new ByteArrayInputStream(("From: Sender " + i + " <s" + i
                        + "@example.com>\r\nTo: ada@example.com\r\nSubject: Message number " + i + "\r\nDate: Thu, 3 Dec 2026 "
                        + "10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                        + "Content-Type: text/plain\r\n\r\nHello " + i + ", the tide turns at six.\r\n--b\r\nContent-Type: "
                        + "text/html\r\n\r\n<p>Hello " + i + ", the <b>tide</b> turns at six.</p>\r\n--b--\r\n")
                        .getBytes(StandardCharsets.UTF_8))));
            }
            install(root, pluginTarget);
            FileVault.open(new StateDir(root), Map.of()).set("MAIL_PASSWORD", PASSWORD.getBytes(StandardCharsets.UTF_8));
            Files.writeString(root.resolve("openclaw.json"), """
                    {"plugins": {"entries": {"himalaya": {"config": {
                       "imap": {"server": "127.0.0.1:%d", "security": "plain"},
                       "smtp": {"server": "127.0.0.1:%d", "security": "plain"},
                       "username": "ada", "from": "ada@example.com"}}}}}
                    """.formatted(mail.getImap().getPort(), mail.getSmtp().getPort()));
            Files.createDirectories(new StateDir(root).workspace());
            Gateway gw = Gateways.start(new GatewayConfig("127.0.0.1", 0, TOKEN, new StateDir(root)), Gateway.Options.defaults());
            try (TurnClient c = TurnClient.connect(gw.port(), TOKEN)) {
                long uid = invoke(c, "list", "{\"page_size\": 1}").at("/structured/envelopes/0/id").asLong();
                long[] gwList = new long[iterations];
                long[] gwRead = new long[iterations];
                long[] directList = new long[iterations];
                long[] directRead = new long[iterations];
                for (int i = -warmup; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    JsonNode list = invoke(c, "list", "{\"page_size\": " + MESSAGES + "}");
                    long t1 = System.nanoTime();
                    JsonNode read = invoke(c, "read", "{\"id\": " + uid + "}");
                    long t2 = System.nanoTime();
                    int envelopes = list.at("/structured/envelopes").size();
                    if (envelopes != MESSAGES || !read.path("text").asText().contains("the tide turns at six")) {
                        throw new IllegalStateException("unexpected answer: " + envelopes + " envelopes");
                    }
                    long t3 = System.nanoTime();
                    int direct = directList(mail.getImap().getPort());
                    long t4 = System.nanoTime();
                    String text = directRead(mail.getImap().getPort(), uid);
                    long t5 = System.nanoTime();
                    if (direct != MESSAGES || !text.contains("the tide turns at six")) {
                        throw new IllegalStateException("direct: " + direct + " envelopes");
                    }
                    if (i >= 0) {
                        gwList[i] = t1 - t0;
                        gwRead[i] = t2 - t1;
                        directList[i] = t4 - t3;
                        directRead[i] = t5 - t4;
                    }
                }
                System.out.printf("%nhimalaya: %d iterations after %d warmup, %d messages in INBOX%n", iterations, warmup,
                        MESSAGES);
                report("list of 1,000 envelopes", gwList, directList);
                report("read of one message     ", gwRead, directRead);
            } finally {
                gw.close();
            }
        } finally {
            mail.stop();
            GatewayBench.deleteTree(root);
        }
    }

    private static void report(String what, long[] gateway, long[] direct) {
        double g = Latencies.percentile(gateway, 50) / 1e6;
        double d = Latencies.percentile(direct, 50) / 1e6;
        System.out.printf("%s  gateway p50 %8.1f ms (p90 %8.1f) | Angus Mail direct p50 %8.1f ms (p90 %8.1f) | ratio %.2f%n",
                what, g, Latencies.percentile(gateway, 90) / 1e6, d, Latencies.percentile(direct, 90) / 1e6, g / d);
    }

    private static JsonNode invoke(TurnClient c, String tool, String args) throws Exception {
        ObjectNode p = TurnClient.JSON.createObjectNode().put("skill", "himalaya").put("tool", tool).put("sessionKey", SESSION);
        p.set("args", TurnClient.JSON.readTree(args));
        JsonNode payload = TurnClient.ok(c.request("tools.invoke", p));
        if (payload.path("isError").asBoolean()) {
            throw new IllegalStateException(tool + " failed: " + payload.path("text").asText());
        }
        return payload;
    }

    /** The same IMAP work as the skill's list: connect, newest 1,000 by sequence, one FETCH of the same items. */
    private static int directList(int port) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", port, "ada", PASSWORD);
        try {
            Folder f = store.getFolder("INBOX");
            f.open(Folder.READ_ONLY);
            int total = f.getMessageCount();
            Message[] ms = f.getMessages(Math.max(1, total - MESSAGES + 1), total);
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add(FetchProfile.Item.FLAGS);
            fp.add(FetchProfile.Item.CONTENT_INFO);
            fp.add(UIDFolder.FetchProfileItem.UID);
            f.fetch(ms, fp);
            int n = 0;
            for (Message m : ms) {
                if (m.getSubject() != null && ((UIDFolder) f).getUID(m) > 0) {
                    n++;
                }
            }
            f.close(false);
            return n;
        } finally {
            store.close();
        }
    }

    /** The same IMAP work as the skill's read: connect, the message by UID fetched whole, its text part. */
    private static String directRead(int port, long uid) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", port, "ada", PASSWORD);
        try {
            Folder f = store.getFolder("INBOX");
            f.open(Folder.READ_WRITE);
            MimeMessage m = new MimeMessage((MimeMessage) ((UIDFolder) f).getMessageByUID(uid));
            Multipart mp = (Multipart) m.getContent();
            String text = String.valueOf(mp.getBodyPart(0).getContent());
            f.close(false);
            return text;
        } finally {
            store.close();
        }
    }

    private static void install(Path root, Path pluginTarget) throws Exception {
        Path built;
        try (Stream<Path> files = Files.list(pluginTarget)) {
            built = files.filter(f -> f.getFileName().toString().matches("himalaya-[0-9][^/]*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build plugins/himalaya first"));
        }
        Path jar = Files.createDirectories(root.resolve("plugins")).resolve("himalaya.jar");
        Files.copy(built, jar);
        KeyPair key = Keys.generate();
        TrustStore.open(root.resolve("trust")).add(key.getPublic(), "bench-himalaya");
        Files.write(jar.resolveSibling("himalaya.jar.sig"), PluginSigner.sign(Files.readAllBytes(jar), key.getPrivate(),
                key.getPublic(), Instant.now()).toBytes());
    }
}

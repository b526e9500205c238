package ai.clawbot.plugin.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A diagnostic entry point of the sandbox runtime, <em>not a tool</em>: the skill-testkit contract runs it
 * inside a skill's live sandbox (same container, hence the same user, namespaces, network and mounts) to
 * observe what the skill's code could: {@code java -cp /opt/claw/lib/* ai.clawbot.plugin.runtime.SandboxProbe
 * [--connect host:port]... [--resolve name]... [--exists path]...}. It prints one JSON object on stdout:
 * its own environment, the environment of every process it may read ({@code /proc/<pid>/environ}), and
 * the outcome of each connect, name lookup and file check. It never changes anything.
 */
public final class SandboxProbe {

    private static final int CONNECT_TIMEOUT_MS = 2000;

    private SandboxProbe() {
    }

    public static void main(String[] args) throws IOException {
        List<String> connects = new ArrayList<>();
        List<String> resolves = new ArrayList<>();
        List<String> exists = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--connect" -> connects.add(args[i + 1]);
                case "--resolve" -> resolves.add(args[i + 1]);
                case "--exists" -> exists.add(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.set("env", json.valueToTree(new TreeMap<>(System.getenv())));
        out.set("processes", processes(json));
        ArrayNode c = out.putArray("connects");
        for (String target : connects) {
            c.add(connect(json, target));
        }
        ArrayNode r = out.putArray("resolves");
        for (String name : resolves) {
            ObjectNode o = r.addObject().put("name", name);
            try {
                ArrayNode a = o.putArray("addresses");
                for (InetAddress addr : InetAddress.getAllByName(name)) {
                    a.add(addr.getHostAddress());
                }
            } catch (IOException e) {
                o.remove("addresses");
                o.put("error", String.valueOf(e));
            }
        }
        ArrayNode e = out.putArray("exists");
        for (String p : exists) {
            e.addObject().put("path", p).put("exists", Files.exists(Path.of(p), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
        System.out.println(json.writeValueAsString(out));
    }

    private static ObjectNode connect(ObjectMapper json, String target) {
        ObjectNode o = json.createObjectNode().put("target", target);
        int colon = target.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))), CONNECT_TIMEOUT_MS);
            o.put("connected", true);
        } catch (IOException | RuntimeException ex) {
            o.put("connected", false).put("error", String.valueOf(ex));
        }
        return o;
    }

    private static ArrayNode processes(ObjectMapper json) throws IOException {
        ArrayNode out = json.createArrayNode();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("[0-9]+")).sorted().toList()) {
                if (Long.parseLong(p.getFileName().toString()) == self) {
                    continue;
                }
                ObjectNode o = json.createObjectNode().put("pid", Long.parseLong(p.getFileName().toString()));
                try {
                    o.put("cmdline", Files.readString(p.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ').trim());
                    Map<String, String> env = new TreeMap<>();
                    for (String kv : new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8).split("\0")) {
                        int eq = kv.indexOf('=');
                        if (eq > 0) {
                            env.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                    o.set("env", json.valueToTree(env));
                } catch (IOException ex) {
                    o.put("unreadable", String.valueOf(ex)); // another user's process, or it just exited
                }
                out.add(o);
            }
        }
        return out;
    }
}

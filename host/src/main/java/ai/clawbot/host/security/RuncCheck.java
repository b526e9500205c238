package ai.clawbot.host.security;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CVE-2024-21626 ("Leaky Vessels"): runc before 1.1.12 leaks a host directory fd into the container, so a crafted
 * image or working directory escapes to the host filesystem. Fixed upstream in runc 1.1.12 (Docker 25.0.2 and
 * 24.0.9); Debian backported the fix into 1.1.5 as revision {@code +deb12u1} (DSA-5615-1). runc's own version
 * decides when the engine reports it; the engine version is the fallback.
 */
record RuncCheck() implements AuditCheck {

    static final String ID = "docker.runc_cve_2024_21626";
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern DEBIAN = Pattern.compile("\\+deb(\\d+)u(\\d+)");

    /** The verdict on one engine. */
    sealed interface Verdict {
        record Fixed(String why) implements Verdict {
        }

        record Vulnerable(String why) implements Verdict {
        }
    }

    @Override
    public List<Finding> run(AuditContext c) {
        if (c.engine().isEmpty()) {
            return List.of(Finding.info(ID, "Docker engine not reachable: runc not checked",
                    "start dockerd (or set DOCKER_HOST) and run the audit again"));
        }
        EngineVersion e = c.engine().get();
        return switch (assess(e)) {
            case Verdict.Fixed f -> List.of(Finding.info(ID, "runc is patched for CVE-2024-21626", f.why()));
            case Verdict.Vulnerable v -> List.of(Finding.critical(ID, "runc is vulnerable to CVE-2024-21626 (container escape)",
                    v.why(), "upgrade Docker to 25.0.2+ (or 24.0.9+), or your distribution's patched runc (Debian 12:"
                            + " apt-get install runc, 1.1.5+ds1-1+deb12u1 or later); then restart dockerd"));
        };
    }

    static Verdict assess(EngineVersion e) {
        if (e.runcVersion() != null) {
            return assessRunc(e.runcVersion(), e.runcCommit());
        }
        Optional<int[]> engine = numbers(e.engine());
        if (engine.isEmpty()) {
            return new Verdict.Vulnerable("the engine reports no runc version and its version '" + e.engine()
                    + "' cannot be read");
        }
        int[] v = engine.get();
        boolean fixed = atLeast(v, 25, 0, 2) || v[0] == 24 && atLeast(v, 24, 0, 9);
        String what = "engine " + e.engine() + " (no runc component reported)";
        return fixed ? new Verdict.Fixed(what + " is at or past Docker 25.0.2 / 24.0.9")
                : new Verdict.Vulnerable(what + " is older than Docker 25.0.2 / 24.0.9");
    }

    static Verdict assessRunc(String version, String commit) {
        Optional<int[]> parsed = numbers(version);
        String what = "runc " + version + (commit == null || commit.isBlank() ? "" : " (" + commit + ")");
        if (parsed.isEmpty()) {
            return new Verdict.Vulnerable(what + ": version cannot be read");
        }
        int[] v = parsed.get();
        if (atLeast(v, 1, 1, 12)) {
            return new Verdict.Fixed(what + " is 1.1.12 or later");
        }
        if (v[0] == 1 && v[1] == 1 && v[2] == 5 && commit != null) {
            Matcher d = DEBIAN.matcher(commit);
            if (d.find()) {
                int release = Integer.parseInt(d.group(1));
                int update = Integer.parseInt(d.group(2));
                if (release > 12 || release == 12 && update >= 1) {
                    return new Verdict.Fixed(what + ": Debian's build carries the backported fix (DSA-5615-1, +deb12u1)");
                }
            }
        }
        return new Verdict.Vulnerable(what + " is older than 1.1.12 and is not a known patched distribution build");
    }

    private static Optional<int[]> numbers(String version) {
        if (version == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(version);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        return Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
    }

    private static boolean atLeast(int[] v, int a, int b, int c) {
        return java.util.Arrays.compare(v, new int[] {a, b, c}) >= 0;
    }
}

package ai.clawbot.host.gateway.auth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the gateway listens ({@code gateway.bind}) and the fail-closed rule OpenClaw applies to it: a
 * non-loopback listener without auth is refused at startup. Never does a DNS lookup: a bind address that
 * depends on a resolver's answer could silently become public.
 */
public final class BindPolicy {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Hex groups, colons, and an optional dotted IPv4 tail; no zone id ({@code %eth0} would name an interface). */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int MAX_CHARS = 64;

    private BindPolicy() {
    }

    /**
     * {@code "loopback"} and {@code "localhost"} &rarr; 127.0.0.1, {@code "lan"} &rarr; 0.0.0.0 (every IPv4
     * interface), an IPv4 literal in dotted decimal or an IPv6 literal (bare or in brackets) as given.
     * Keywords are case-insensitive and surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException for anything else (host names, {@code tailnet}/{@code auto}/{@code custom},
     *                                  {@code 127.1}, zone ids), naming the value and what is accepted
     */
    public static InetAddress resolveBind(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("gateway.bind is empty; " + ACCEPTED);
        }
        String v = configured.strip();
        if (v.length() > MAX_CHARS) {
            throw new IllegalArgumentException("gateway.bind is longer than " + MAX_CHARS + " characters; " + ACCEPTED);
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "loopback", "localhost" -> {
                return ipv4(127, 0, 0, 1);
            }
            case "lan" -> {
                return ipv4(0, 0, 0, 0);
            }
            default -> {
                // fall through to literals
            }
        }
        Matcher m = IPV4.matcher(v);
        if (m.matches()) {
            int[] octets = new int[4];
            for (int i = 0; i < 4; i++) {
                String g = m.group(i + 1);
                octets[i] = Integer.parseInt(g);
                if (octets[i] > 255 || g.length() > 1 && g.charAt(0) == '0') {
                    throw new IllegalArgumentException("gateway.bind '" + v + "' is not a valid IPv4 address; " + ACCEPTED);
                }
            }
            return ipv4(octets[0], octets[1], octets[2], octets[3]);
        }
        String six = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        if (six.indexOf(':') >= 0 && IPV6.matcher(six).matches()) {
            try {
                // A string with ':' is parsed as an IPv6 literal and never looked up.
                return InetAddress.getByName("[" + six + "]");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("gateway.bind '" + v + "' is not a valid IPv6 address; " + ACCEPTED);
            }
        }
        throw new IllegalArgumentException("gateway.bind '" + v + "' is not supported; " + ACCEPTED);
    }

    private static final String ACCEPTED =
            "use \"loopback\" (127.0.0.1, the default), \"lan\" (0.0.0.0), \"localhost\" or an IP address literal";

    /** 127.0.0.0/8, ::1, and IPv4-mapped 127.x ({@code ::ffff:127.0.0.1}). The wildcard 0.0.0.0 / :: is not loopback. */
    public static boolean isLoopback(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isLoopbackAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        return address instanceof Inet6Address && isIpv4Mapped(b) && b[12] == 127;
    }

    /**
     * Refuses to start a listener reachable from other machines without authentication.
     *
     * @throws IllegalStateException when {@code bind} is not loopback and {@code authEnabled} is false
     */
    public static void requireAuthForNonLoopback(InetAddress bind, boolean authEnabled) {
        if (!authEnabled && !isLoopback(bind)) {
            throw new IllegalStateException("refusing to listen on " + bind.getHostAddress()
                    + " without auth: set gateway.auth.mode to token (or bind to loopback)");
        }
    }

    /** {@code ::ffff:a.b.c.d}: 80 zero bits, 16 one bits, then the IPv4 address. */
    static boolean isIpv4Mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return Inet4Address.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length
        }
    }
}

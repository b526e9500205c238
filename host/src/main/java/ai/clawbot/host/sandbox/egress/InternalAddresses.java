package ai.clawbot.host.sandbox.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses a name from public DNS must never lead a sandbox to: this machine, its LANs, the Docker bridge,
 * cloud metadata endpoints ({@code 169.254.169.254}), multicast and the reserved ranges. Broader than the
 * JDK's {@code isSiteLocalAddress()}, which misses CGNAT, IPv6 unique-local and IPv4 inside IPv6.
 */
final class InternalAddresses {

    private InternalAddresses() {
    }

    static boolean isInternal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isInternalV4(b);
        }
        if (a instanceof Inet6Address) {
            return isInternalV6(b);
        }
        return true;
    }

    private static boolean isInternalV4(byte[] b) {
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        int o2 = b[2] & 0xff;
        return o0 == 0 // "this network"
                || o0 == 10 || o0 == 127
                || (o0 == 100 && o1 >= 64 && o1 <= 127) // carrier-grade NAT
                || (o0 == 169 && o1 == 254)
                || (o0 == 172 && o1 >= 16 && o1 <= 31)
                || (o0 == 192 && o1 == 168)
                || (o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2)) // IETF protocol assignments, TEST-NET-1
                || (o0 == 198 && (o1 == 18 || o1 == 19)) // benchmarking
                || (o0 == 198 && o1 == 51 && o2 == 100) // TEST-NET-2
                || (o0 == 203 && o1 == 0 && o2 == 113) // TEST-NET-3
                || o0 >= 224; // multicast, reserved, broadcast
    }

    private static boolean isInternalV6(byte[] b) {
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
            return true;
        }
        if (first == 0xff || (first == 0xfe && (b[1] & 0xc0) != 0)) { // multicast, fe80::/10, fec0::/10
            return true;
        }
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // ::ffff:a.b.c.d
            return embeddedV4(b, 12);
        }
        if (allZero(b, 0, 12)) { // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
            return true;
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12)) { // 64:ff9b::/96 NAT64 carries an IPv4 address
            return embeddedV4(b, 12);
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 2002::/16 6to4
            return embeddedV4(b, 2);
        }
        return false;
    }

    private static boolean embeddedV4(byte[] b, int from) {
        try {
            byte[] v4 = {b[from], b[from + 1], b[from + 2], b[from + 3]};
            return isInternal(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return true; // cannot happen for four bytes; refuse if it ever does
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}

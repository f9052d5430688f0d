package rpcx.plugins;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One IP address or CIDR block, IPv4 (4 bytes) or IPv6 (16 bytes), parsed without any name lookup.
 *
 * <p>Accepted: an IPv4 dotted quad with four decimal parts of 0..255 and no leading zeros ({@code 127.0.0.1}); an
 * IPv6 literal without brackets or zone ({@code 2001:db8::1}, {@code ::ffff:10.0.0.1}); either followed by
 * {@code /prefix} in decimal (0..32 for IPv4, 0..128 for IPv6). Host bits after the prefix are cleared, as Go's
 * {@code net.ParseCIDR} does ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). An IPv4-mapped IPv6 literal
 * ({@code ::ffff:a.b.c.d}) is the IPv4 address, and its prefix must then be at least 96 (it counts the 96 bits of
 * the mapping). IPv4 blocks match IPv4 addresses only and IPv6 blocks IPv6 addresses only, as in Go.
 */
final class IpRange {
    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses an address or CIDR block; IllegalArgumentException naming the text when it is neither. */
    static IpRange parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IP address or CIDR block is required, not null");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address = parseAddress(addressText, text);
        boolean mapped = address.length == 4 && addressText.indexOf(':') >= 0;
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("invalid CIDR prefix length in \"" + text + "\"");
            }
            prefix = Integer.parseInt(p);
            if (mapped) {
                if (prefix < 96 || prefix > 128) {
                    throw new IllegalArgumentException("the prefix of an IPv4-mapped block must be 96..128 in \""
                            + text + "\"");
                }
                prefix -= 96;
            } else if (prefix > bits) {
                throw new IllegalArgumentException("the prefix length must be 0.." + bits + " in \"" + text + "\"");
            }
        }
        return new IpRange(mask(address, prefix), prefix);
    }

    /** The 4 or 16 bytes of an address literal. */
    private static byte[] parseAddress(String s, String whole) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("not an IP address: \"" + whole + "\"");
        }
        if (s.indexOf(':') < 0) {
            return parseIpv4(s, whole);
        }
        // Only hex digits, colons and dots, starting with a hex digit or a colon: InetAddress then takes the
        // literal path and never resolves a name.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 && c < 128 || c == ':' || c == '.')) {
                throw new IllegalArgumentException("not an IP address (host names, zones and brackets are not accepted): \""
                        + whole + "\"");
            }
        }
        if (s.charAt(0) == '.') {
            throw new IllegalArgumentException("not an IP address: \"" + whole + "\"");
        }
        try {
            return canonical(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IPv6 address: \"" + whole + "\"", e);
        }
    }

    private static byte[] parseIpv4(String s, String whole) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address (host names are not accepted): \"" + whole + "\"");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("not an IP address (host names are not accepted): \"" + whole + "\"");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IP address (a part is above 255): \"" + whole + "\"");
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** The bytes to match an address with: 4 for IPv4 and IPv4-mapped IPv6, 16 for other IPv6 (scope ignored). */
    static byte[] canonical(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && isMapped(b)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] n = address.clone();
        for (int i = 0; i < n.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            n[i] &= (byte) (0xFF00 >> keep);
        }
        return n;
    }

    /** Whether the address (as {@link #canonical} gives it) is in this block. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xFF00 >> rest) & 0xFF;
        return (address[full] & m) == (network[full] & m);
    }

    /** Whether the address is in this block. */
    boolean contains(InetAddress address) {
        return contains(canonical(address));
    }

    /** Whether this is an IPv6 block. */
    boolean isIpv6() {
        return network.length == 16;
    }

    /** The prefix length (32 or 128 for one address). */
    int prefix() {
        return prefix;
    }

    /** Canonical text: {@code 10.0.0.0/8}, {@code 2001:db8::/32}; one address without a prefix. */
    @Override
    public String toString() {
        String a = network.length == 4 ? formatIpv4(network) : formatIpv6(network);
        return prefix == network.length * 8 ? a : a + "/" + prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    private static String formatIpv4(byte[] b) {
        return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups (the first) as "::". */
    private static String formatIpv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}

package rpcx.plugins;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import rpcx.api.ClientConnection;
import rpcx.api.ServerPlugin;

/**
 * Accepts or closes connections by the client's IP address (Go's {@code serverplugin.BlacklistPlugin} and
 * {@code WhitelistPlugin} in one plugin): an allow-list and a deny-list of IPv4 and IPv6 addresses and CIDR blocks.
 *
 * <pre>{@code server.addPlugin(IpFilter.allowing("10.0.0.0/8", "2001:db8::/32", "127.0.0.1").deny("10.6.6.0/24"));}</pre>
 *
 * <p>The rule, checked once in {@link #connectionAccepted}:
 * <ol>
 *   <li>an address on the deny-list is refused, whatever the allow-list says (deny wins);</li>
 *   <li>otherwise, when the allow-list is empty, it is accepted;</li>
 *   <li>otherwise it is accepted only when it is on the allow-list.</li>
 * </ol>
 * A refused connection is closed at once. An entry is one address ({@code 127.0.0.1}, {@code ::1}) or a block
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); host names are rejected, no name is ever looked up. IPv4 entries
 * match IPv4 clients, including IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3} is {@code 10.1.2.3}); IPv6
 * entries match IPv6 clients ({@code ::/0} is every IPv6 client, not IPv4 ones, as in Go). The zone of a link-local
 * client address is ignored. A connection whose address is not an IP address (the in-memory transport, Unix
 * sockets) is on no list: it is accepted when the allow-list is empty, refused otherwise (as Go's blacklist and
 * whitelist treat an address they cannot split).
 *
 * <p>The lists may be changed while the server runs ({@link #allow}, {@link #deny}, {@link #removeAllow},
 * {@link #removeDeny}; thread-safe); a change applies to connections accepted afterwards, open connections are left
 * alone.
 *
 * <p>Differences from Go: one plugin for both lists with a defined precedence (Go's two plugins, both added, would
 * apply the blacklist and the whitelist one after the other in insertion order, with the same outcome); entries are
 * parsed when added (a bad entry fails there, with its text), not matched as strings.
 */
public final class IpFilter implements ServerPlugin {
    private record Rules(List<IpRange> allow, List<IpRange> deny) {
    }

    private volatile Rules rules = new Rules(List.of(), List.of());
    private final LongAdder refused = new LongAdder();

    /** A filter with empty lists (it accepts every connection until rules are added). */
    public IpFilter() {
    }

    /** A filter accepting only clients on these addresses or blocks. */
    public static IpFilter allowing(String... entries) {
        return new IpFilter().allow(entries);
    }

    /** A filter refusing clients on these addresses or blocks, and accepting every other one. */
    public static IpFilter denying(String... entries) {
        return new IpFilter().deny(entries);
    }

    /**
     * Adds entries to the allow-list (duplicates are ignored); IllegalArgumentException naming the bad text when one
     * is not an IP address or CIDR block, and then none is added.
     */
    public IpFilter allow(String... entries) {
        List<IpRange> parsed = parseAll(entries);
        synchronized (this) {
            Rules r = rules;
            rules = new Rules(merged(r.allow(), parsed), r.deny());
        }
        return this;
    }

    /** Adds entries to the deny-list, as {@link #allow} does to the allow-list. */
    public IpFilter deny(String... entries) {
        List<IpRange> parsed = parseAll(entries);
        synchronized (this) {
            Rules r = rules;
            rules = new Rules(r.allow(), merged(r.deny(), parsed));
        }
        return this;
    }

    /** Removes an entry from the allow-list (compared after parsing: {@code 10.1.0.0/8} is {@code 10.0.0.0/8}). */
    public boolean removeAllow(String entry) {
        IpRange e = IpRange.parse(entry);
        synchronized (this) {
            Rules r = rules;
            List<IpRange> allow = new ArrayList<>(r.allow());
            boolean removed = allow.remove(e);
            rules = new Rules(List.copyOf(allow), r.deny());
            return removed;
        }
    }

    /** Removes an entry from the deny-list. */
    public boolean removeDeny(String entry) {
        IpRange e = IpRange.parse(entry);
        synchronized (this) {
            Rules r = rules;
            List<IpRange> deny = new ArrayList<>(r.deny());
            boolean removed = deny.remove(e);
            rules = new Rules(r.allow(), List.copyOf(deny));
            return removed;
        }
    }

    private static List<IpRange> parseAll(String... entries) {
        Objects.requireNonNull(entries, "entries");
        List<IpRange> out = new ArrayList<>(entries.length);
        for (String e : entries) {
            out.add(IpRange.parse(e));
        }
        return out;
    }

    private static List<IpRange> merged(List<IpRange> current, List<IpRange> added) {
        List<IpRange> out = new ArrayList<>(current);
        for (IpRange r : added) {
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /** The allow-list in canonical form ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 127.0.0.1}). */
    public List<String> allowList() {
        return rules.allow().stream().map(IpRange::toString).toList();
    }

    /** The deny-list in canonical form. */
    public List<String> denyList() {
        return rules.deny().stream().map(IpRange::toString).toList();
    }

    /** Whether a client at this IP address is accepted. */
    public boolean permits(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] a = IpRange.canonical(address);
        Rules r = rules;
        for (IpRange d : r.deny()) {
            if (d.contains(a)) {
                return false;
            }
        }
        if (r.allow().isEmpty()) {
            return true;
        }
        for (IpRange w : r.allow()) {
            if (w.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a client at this socket address is accepted: by its IP address, or, when it has none (an unresolved
     * or non-IP address), only when the allow-list is empty.
     */
    public boolean permits(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return permits(inet.getAddress());
        }
        return rules.allow().isEmpty();
    }

    /** Accepts the connection or has it closed, by its remote address. */
    @Override
    public boolean connectionAccepted(ClientConnection connection) {
        if (permits(connection.remoteAddress())) {
            return true;
        }
        refused.increment();
        return false;
    }

    /** Connections refused so far. */
    public long refusedCount() {
        return refused.sum();
    }

    @Override
    public String toString() {
        Rules r = rules;
        return "IpFilter[allow " + r.allow() + ", deny " + r.deny() + "]";
    }
}

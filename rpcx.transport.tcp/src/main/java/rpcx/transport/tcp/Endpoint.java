package rpcx.transport.tcp;

import java.util.Set;

import rpcx.api.TransportException;

/**
 * A parsed {@code network@address} as Go's {@code net} package reads it.
 *
 * <ul>
 *   <li>{@code tcp}, {@code tcp4}, {@code tcp6}: {@code host:port}, {@code [ipv6]:port} or {@code :port} (no host:
 *       all interfaces when listening, the loopback address when dialing). The port is decimal, 0 to 65535; 0 when
 *       listening picks a free port. An IPv6 address must be in brackets.</li>
 *   <li>{@code http}, {@code ws}, {@code wss}: as {@code tcp}; rpcx inside an HTTP CONNECT tunnel or a WebSocket at
 *       {@code /_rpcx_} (Go's {@code share.DefaultRPCPath}).</li>
 *   <li>{@code unix}: a file system path of a unix domain socket.</li>
 * </ul>
 *
 * @param network one of {@link #NETWORKS}
 * @param host    the host without brackets, empty for none; empty for {@code unix}
 * @param port    the port; 0 for {@code unix}
 * @param path    the socket path for {@code unix}; null otherwise
 * @param address the address as given, for messages
 */
record Endpoint(String network, String host, int port, String path, String address) {
    /** The networks this module serves. */
    static final Set<String> NETWORKS = Set.of("tcp", "tcp4", "tcp6", "unix", "reuseport", "http", "ws", "wss");

    /**
     * Parses an address of a network.
     *
     * @throws TransportException naming what is wrong
     */
    static Endpoint parse(String network, String address) {
        if (network == null || !NETWORKS.contains(network)) {
            throw new TransportException("unsupported network '" + network + "': rpcx.transport.tcp serves " + NETWORKS.stream().sorted().toList());
        }
        if (address == null) {
            throw new TransportException("missing address for network " + network);
        }
        if (network.equals("unix")) {
            if (address.isEmpty()) {
                throw new TransportException("missing socket path for network unix");
            }
            if (address.indexOf('\0') >= 0) {
                throw new TransportException("unix socket path contains a NUL character");
            }
            return new Endpoint(network, "", 0, address, address);
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            if (end < 0) {
                throw bad(network, address, "missing ']'");
            }
            if (end + 1 >= address.length() || address.charAt(end + 1) != ':') {
                throw bad(network, address, "missing port after ']'");
            }
            host = address.substring(1, end);
            port = address.substring(end + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0) {
                throw bad(network, address, "missing port (write host:port, or :port for all interfaces)");
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(network, address, "too many colons (write an IPv6 address in brackets, e.g. [::1]:8972)");
            }
        }
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw bad(network, address, "unexpected bracket");
        }
        return new Endpoint(network, host, parsePort(network, address, port), null, address);
    }

    private static int parsePort(String network, String address, String port) {
        if (port.isEmpty() || port.length() > 5) {
            throw bad(network, address, "invalid port '" + port + "' (0 to 65535)");
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(network, address, "invalid port '" + port + "' (0 to 65535)");
            }
            value = value * 10 + (c - '0');
        }
        if (value > 65535) {
            throw bad(network, address, "invalid port '" + port + "' (0 to 65535)");
        }
        return value;
    }

    private static TransportException bad(String network, String address, String why) {
        return new TransportException("invalid " + network + " address '" + address + "': " + why);
    }

    /**
     * Whether rpcx travels inside HTTP: {@code http} (a CONNECT tunnel), {@code ws} and {@code wss} (a WebSocket).
     * Listening on one of them is listening on TCP with every protocol of the port; dialling it opens the tunnel.
     */
    boolean tunnel() {
        return network.equals("http") || webSocket();
    }

    /** Whether this is {@code ws} or {@code wss}. */
    boolean webSocket() {
        return network.equals("ws") || network.equals("wss");
    }

    /** Whether this is a unix domain socket. */
    boolean isUnix() {
        return path != null;
    }

    /** 4 for {@code tcp4}, 6 for {@code tcp6}, 0 when either family will do. */
    /** Whether the listener binds with {@code SO_REUSEPORT} (network {@code reuseport}), so that another process can bind the same port. */
    boolean reusePort() {
        return network.equals("reuseport");
    }

    int family() {
        return switch (network) {
            case "tcp4" -> 4;
            case "tcp6" -> 6;
            default -> 0;
        };
    }

    /** Whether the host is literally an IP address (an IPv6 one always contains a colon). */
    boolean hostIsIpv6Literal() {
        return host.indexOf(':') >= 0;
    }

    /** {@code network@address}, as rpcx writes service addresses. */
    @Override
    public String toString() {
        return network + "@" + address;
    }
}

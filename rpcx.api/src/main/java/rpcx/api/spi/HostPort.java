package rpcx.api.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import rpcx.api.TransportException;

/** The {@code host:port} part of an address of an IP network, as transports read it. */
public final class HostPort {
    private HostPort() {
    }

    /**
     * Resolves {@code host:port} (an IPv6 literal in brackets; an empty host is all interfaces when listening and
     * the loopback address when dialling, as Go's {@code :8972}).
     *
     * @param network the network, for the error messages
     * @param address the address after {@code network@}
     * @param listen  whether it is an address to listen on
     * @return the socket address
     * @throws TransportException for a malformed address, a bad port or a host that does not resolve
     */
    public static InetSocketAddress resolve(String network, String address, boolean listen) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            throw new TransportException("invalid " + network + " address '" + address + "': write host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TransportException("invalid " + network + " address '" + address + "': bad port");
        }
        if (port < 0 || port > 65535) {
            throw new TransportException("invalid " + network + " address '" + address + "': port out of range");
        }
        try {
            InetAddress ip = host.isEmpty() ? (listen ? InetAddress.getByName("0.0.0.0") : InetAddress.getLoopbackAddress())
                    : InetAddress.getByName(host);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new TransportException("cannot resolve the host of " + network + " address '" + address + "'", e);
        }
    }
}

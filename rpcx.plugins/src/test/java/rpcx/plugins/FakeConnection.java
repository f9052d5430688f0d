package rpcx.plugins;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

import rpcx.api.ClientConnection;

/** A client connection for calling hooks directly. */
final class FakeConnection implements ClientConnection {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final SocketAddress remote;
    private volatile boolean open = true;

    FakeConnection(SocketAddress remote) {
        this.remote = remote;
    }

    /** A connection from an IP literal, port 40000. */
    static FakeConnection from(String ipLiteral) {
        try {
            return new FakeConnection(new InetSocketAddress(InetAddress.getByName(ipLiteral), 40000));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(8972);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}

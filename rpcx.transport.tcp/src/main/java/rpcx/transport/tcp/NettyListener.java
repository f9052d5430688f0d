package rpcx.transport.tcp;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import rpcx.api.spi.Listener;

/**
 * A bound server channel. Stopping it closes the listening socket only; accepted connections stay open. A unix
 * listener removes its socket file when it stops, as Go's does.
 */
final class NettyListener implements Listener {
    private static final System.Logger LOG = System.getLogger("rpcx.transport.tcp");

    private final Channel channel;
    private final Endpoint endpoint;
    private final SocketAddress localAddress;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    NettyListener(Channel channel, Endpoint endpoint) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.localAddress = NettyConnection.jdkAddress(channel.localAddress());
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public CompletableFuture<Void> stopAccepting() {
        if (stopping.compareAndSet(false, true)) {
            channel.close().addListener(f -> {
                if (endpoint.isUnix()) {
                    try {
                        Files.deleteIfExists(Path.of(endpoint.path()));
                    } catch (IOException | RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, () -> "cannot remove unix socket file " + endpoint.path() + ": " + e);
                    }
                }
                stopped.complete(null);
            });
        }
        return stopped;
    }

    /** The listening channel (for the transport's close). */
    Channel channel() {
        return channel;
    }

    /** E.g. {@code tcp@127.0.0.1:8972 listening on /127.0.0.1:8972}. */
    @Override
    public String toString() {
        return endpoint + " listening on " + localAddress;
    }
}

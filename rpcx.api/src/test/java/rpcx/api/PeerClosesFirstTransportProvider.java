package rpcx.api;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import rpcx.api.internal.Providers;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/**
 * Test network {@code peercloses}: the in-memory transport, but every dialled connection is closed by the "peer"
 * (and its close reported to the handler) before the dial completes — the race of a server killed right after it
 * accepted.
 */
public final class PeerClosesFirstTransportProvider implements TransportProvider {
    @Override
    public String name() {
        return "peercloses";
    }

    @Override
    public Set<String> networks() {
        return Set.of("peercloses");
    }

    @Override
    public Transport create(TransportConfig config) {
        Transport memory = Providers.transport("memu").create(config);
        return new Transport() {
            @Override
            public CompletableFuture<Listener> listen(String network, String address, ConnectionHandler handler) {
                return memory.listen("memu", address, handler);
            }

            @Override
            public CompletableFuture<Connection> connect(String network, String address, ConnectionHandler handler) {
                CountDownLatch closeReported = new CountDownLatch(1);
                ConnectionHandler watching = new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection connection) {
                        handler.onOpen(connection);
                    }

                    @Override
                    public void onMessage(Connection connection, Message message) {
                        handler.onMessage(connection, message);
                    }

                    @Override
                    public void onClose(Connection connection) {
                        handler.onClose(connection);
                        closeReported.countDown();
                    }
                };
                return memory.connect("memu", address, watching).thenApply(c -> {
                    c.close();
                    try {
                        closeReported.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return c;
                });
            }

            @Override
            public void close() {
                memory.close();
            }
        };
    }
}

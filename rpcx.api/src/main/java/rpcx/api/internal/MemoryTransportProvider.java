package rpcx.api.internal;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import rpcx.api.TransportException;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/**
 * The in-process transport, network {@code memu} (as Go's memconn): no sockets, but every frame is encoded and
 * decoded with the bounded {@link FrameCodec}, so tests exercise the real wire format. Addresses are names;
 * {@code ""} or a name ending in {@code :0} gets a fresh unique name.
 */
public final class MemoryTransportProvider implements TransportProvider {
    private static final Map<String, MemoryListener> LISTENERS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rpcx-memu-io");
        t.setDaemon(true);
        return t;
    });
    /** Checks read idle timeouts. */
    private static final java.util.concurrent.ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rpcx-memu-timer");
                t.setDaemon(true);
                return t;
            });

    @Override
    public String name() {
        return "memu";
    }

    @Override
    public Set<String> networks() {
        return Set.of("memu");
    }

    @Override
    public Transport create(TransportConfig config) {
        return new MemoryTransport(config);
    }

    /** The address of an in-memory listener or connection end. */
    public static final class MemoryAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;
        private final String name;

        MemoryAddress(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MemoryAddress a && a.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    private record MemoryListener(String name, TransportConfig config, ConnectionHandler handler,
                                  Set<MemoryConnection> connections) implements Listener {
        @Override
        public SocketAddress localAddress() {
            return new MemoryAddress(name);
        }

        @Override
        public CompletableFuture<Void> stopAccepting() {
            LISTENERS.remove(name, this);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final class MemoryTransport implements Transport {
        private final TransportConfig config;
        private final Set<MemoryListener> listeners = ConcurrentHashMap.newKeySet();
        private final Set<MemoryConnection> connections = ConcurrentHashMap.newKeySet();

        MemoryTransport(TransportConfig config) {
            this.config = config;
        }

        @Override
        public CompletableFuture<Listener> listen(String network, String address, ConnectionHandler handler) {
            String name = address.isEmpty() || address.endsWith(":0") ? "memu-" + IDS.incrementAndGet() : address;
            MemoryListener l = new MemoryListener(name, config, handler, connections);
            if (LISTENERS.putIfAbsent(name, l) != null) {
                return CompletableFuture.failedFuture(new TransportException("memu address already in use: " + name));
            }
            listeners.add(l);
            return CompletableFuture.completedFuture(l);
        }

        @Override
        public CompletableFuture<Connection> connect(String network, String address, ConnectionHandler handler) {
            MemoryListener l = LISTENERS.get(address);
            if (l == null) {
                return CompletableFuture.failedFuture(new TransportException("connection refused: no memu listener at " + address));
            }
            String clientName = "memu-client-" + IDS.incrementAndGet();
            MemoryConnection client = new MemoryConnection(new MemoryAddress(clientName), l.localAddress(), config, handler);
            MemoryConnection server = new MemoryConnection(l.localAddress(), new MemoryAddress(clientName), l.config(), l.handler());
            client.peer = server;
            server.peer = client;
            connections.add(client);
            l.connections().add(server);
            client.closeFuture().whenComplete((v, e) -> connections.remove(client));
            server.closeFuture().whenComplete((v, e) -> l.connections().remove(server));
            server.inbound.execute(() -> l.handler().onOpen(server));
            client.inbound.execute(() -> handler.onOpen(client));
            return CompletableFuture.completedFuture(client);
        }

        @Override
        public void close() {
            listeners.forEach(Listener::close);
            for (MemoryListener l : listeners) {
                l.connections().forEach(MemoryConnection::close);
            }
            connections.forEach(MemoryConnection::close);
        }
    }

    private static final class MemoryConnection implements Connection {
        private final SocketAddress local;
        private final SocketAddress remote;
        private final TransportConfig config;
        private final ConnectionHandler handler;
        private final SerialExecutor inbound = new SerialExecutor(IO);
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private volatile boolean reading = true;
        private final java.util.ArrayDeque<byte[]> held = new java.util.ArrayDeque<>();
        private MemoryConnection peer;
        private volatile long lastReceived = System.nanoTime();
        private final java.util.concurrent.ScheduledFuture<?> idleCheck;

        MemoryConnection(SocketAddress local, SocketAddress remote, TransportConfig config, ConnectionHandler handler) {
            this.local = local;
            this.remote = remote;
            this.config = config;
            this.handler = handler;
            long idle = config.readIdleTimeout().toNanos();
            idleCheck = idle == 0 ? null : TIMER.scheduleWithFixedDelay(this::checkIdle,
                    Math.max(10_000_000, idle / 4), Math.max(10_000_000, idle / 4), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /** Closes with an error when nothing arrived for the read idle timeout (not while reading is paused). */
        private void checkIdle() {
            long idle = config.readIdleTimeout().toNanos();
            if (open.get() && reading && System.nanoTime() - lastReceived >= idle) {
                inbound.execute(() -> {
                    if (open.get()) {
                        handler.onError(this, new TransportException("memu connection " + remote + ": nothing received for "
                                + config.readIdleTimeout().toMillis() + " ms (read idle timeout)"));
                        close();
                    }
                });
            }
        }

        @Override
        public CompletableFuture<Void> send(Message message) {
            if (!open.get()) {
                return CompletableFuture.failedFuture(new TransportException("connection to " + remote + " is closed"));
            }
            byte[] frame = FrameCodec.encode(message);
            MemoryConnection p = peer;
            CompletableFuture<Void> written = new CompletableFuture<>();
            p.inbound.execute(() -> {
                p.receive(frame);
                written.complete(null);
            });
            return written;
        }

        private void receive(byte[] frame) {
            if (!open.get()) {
                return;
            }
            lastReceived = System.nanoTime();
            if (!reading || !held.isEmpty()) {
                held.add(frame); // paused: kept in order until resumeReading
                return;
            }
            deliver(frame);
        }

        private void deliver(byte[] frame) {
            Message m;
            try {
                m = FrameCodec.decode(ByteBuffer.wrap(frame), config.limits());
            } catch (RuntimeException e) {
                handler.onError(this, e);
                close();
                return;
            }
            handler.onMessage(this, m);
        }

        @Override
        public SocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public SocketAddress localAddress() {
            return local;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void pauseReading() {
            reading = false; // frames delivered after this are held, like bytes left unread in a socket
        }

        @Override
        public void resumeReading() {
            inbound.execute(() -> {
                lastReceived = System.nanoTime(); // the idle clock restarts: a paused connection was not idle
                reading = true;
                byte[] frame;
                while (reading && (frame = held.poll()) != null) {
                    deliver(frame);
                }
            });
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return closed;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                if (idleCheck != null) {
                    idleCheck.cancel(false);
                }
                inbound.execute(() -> {
                    handler.onClose(this);
                    closed.complete(null);
                });
                MemoryConnection p = peer;
                if (p != null) {
                    p.close();
                }
            }
        }
    }
}

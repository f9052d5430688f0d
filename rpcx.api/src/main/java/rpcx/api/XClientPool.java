package rpcx.api;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import rpcx.api.spi.ServiceDiscovery;

/**
 * A fixed set of clients handed out in turn (Go's {@code XClientPool} and {@code OneClientPool}): each client has
 * its own connection per server, so a pool of N multiplies the connections per server by N — for a few busy
 * callers whose calls should not share one connection. {@link #get()} is cheap and thread-safe.
 *
 * <pre>{@code
 * try (XClientPool<XClient> pool = XClientPool.ofXClients(4, "Arith", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
 *         discovery, ClientOptions.defaults())) {
 *     Reply r = pool.get().call("Mul", new Args(10, 20), Reply.class);
 * }
 * }</pre>
 *
 * @param <C> {@link XClient} or {@link OneClient}
 */
public final class XClientPool<C extends AutoCloseable> implements AutoCloseable {
    private final List<C> clients;
    private final AtomicLong next = new AtomicLong();

    private XClientPool(int size, IntFunction<C> factory) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1, not " + size);
        }
        this.clients = IntStream.range(0, size).mapToObj(i -> Objects.requireNonNull(factory.apply(i))).toList();
    }

    /** A pool of {@code size} clients made by the factory (given the index). */
    public static <C extends AutoCloseable> XClientPool<C> of(int size, IntFunction<C> factory) {
        return new XClientPool<>(size, factory);
    }

    /** Go's {@code NewXClientPool(count, servicePath, failMode, selectMode, discovery, option)}. */
    public static XClientPool<XClient> ofXClients(int size, String servicePath, FailMode failMode, SelectMode selectMode,
                                                  ServiceDiscovery discovery, ClientOptions options) {
        return of(size, i -> XClient.create(servicePath, failMode, selectMode, discovery, options));
    }

    /** Go's {@code NewOneClientPool(count, failMode, selectMode, discovery, option)}. */
    public static XClientPool<OneClient> ofOneClients(int size, FailMode failMode, SelectMode selectMode,
                                                      ServiceDiscovery discovery, ClientOptions options) {
        return of(size, i -> OneClient.create(failMode, selectMode, discovery, options));
    }

    /** The next client, round-robin. */
    public C get() {
        return clients.get((int) Math.floorMod(next.getAndIncrement(), (long) clients.size()));
    }

    /** How many clients the pool holds. */
    public int size() {
        return clients.size();
    }

    /** Closes every client. */
    @Override
    public void close() {
        for (C c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                System.getLogger("rpcx.client").log(System.Logger.Level.DEBUG, "rpcx: closing a pooled client failed", e);
            }
        }
    }
}

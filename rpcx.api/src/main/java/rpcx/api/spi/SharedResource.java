package rpcx.api.spi;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Something several users share and the last one closes: a registry client that the discoveries cloned from one
 * another ({@link ServiceDiscovery#forService}) use together. For registry modules.
 *
 * @param <T> what is shared
 */
public final class SharedResource<T> {
    private final T value;
    private final Runnable close;
    private final AtomicInteger users = new AtomicInteger(1);

    private SharedResource(T value, Runnable close) {
        this.value = value;
        this.close = close;
    }

    /** Shares {@code value} with one user, the caller; {@code close} runs when the last user releases it. */
    public static <T> SharedResource<T> of(T value, Runnable close) {
        return new SharedResource<>(value, close);
    }

    /** What is shared. */
    public T get() {
        return value;
    }

    /** One more user. */
    public SharedResource<T> retain() {
        users.incrementAndGet();
        return this;
    }

    /** One user fewer; the last one closes it. */
    public void release() {
        if (users.decrementAndGet() == 0) {
            close.run();
        }
    }
}

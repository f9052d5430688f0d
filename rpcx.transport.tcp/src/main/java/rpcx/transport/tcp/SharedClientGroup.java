package rpcx.transport.tcp;

import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;

/**
 * The client event loop group of one {@link IoKind}, shared by all client transports of that kind so that many
 * clients do not each start threads. Reference-counted: created (lazily, daemon threads) by the first
 * {@link #acquire()}, shut down when the last user {@link #release releases} it. Its size is twice the number of
 * cores, or the system property {@value #THREADS_PROPERTY} when set (as the server's I/O threads are set through
 * {@code ServerOptions.withIoThreads}).
 */
final class SharedClientGroup {
    /** The system property giving the number of client I/O threads. */
    static final String THREADS_PROPERTY = "rpcx.tcp.clientIoThreads";

    private final IoKind kind;
    private EventLoopGroup group;
    private int users;

    SharedClientGroup(IoKind kind) {
        this.kind = kind;
    }

    /** Takes a reference, creating the group if there is none. */
    synchronized EventLoopGroup acquire() {
        if (group == null) {
            group = kind.newGroup(threads(), "rpcx-tcp-client-" + kind.name());
        }
        users++;
        return group;
    }

    static int threads() {
        String configured = System.getProperty(THREADS_PROPERTY);
        if (configured != null) {
            try {
                int n = Integer.parseInt(configured.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be a positive number of"
                    + " threads, not '" + configured + "'");
        }
        return Math.max(1, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** Drops a reference taken on {@code acquired}; the last one shuts the group down quietly. */
    synchronized void release(EventLoopGroup acquired) {
        if (acquired != group || users == 0) {
            return;
        }
        if (--users == 0) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            group = null;
        }
    }

    /** The live group, or null when no client transport uses one (for tests). */
    synchronized EventLoopGroup current() {
        return group;
    }

    /** How many transports hold a reference (for tests). */
    synchronized int users() {
        return users;
    }
}

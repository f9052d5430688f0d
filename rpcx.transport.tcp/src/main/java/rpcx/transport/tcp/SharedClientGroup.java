package rpcx.transport.tcp;

import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;

/**
 * The client event loop group of one {@link IoKind}, shared by all client transports of that kind so that many
 * clients do not each start threads. Reference-counted: created (lazily, daemon threads) by the first
 * {@link #acquire()}, shut down when the last user {@link #release releases} it.
 */
final class SharedClientGroup {
    private final IoKind kind;
    private EventLoopGroup group;
    private int users;

    SharedClientGroup(IoKind kind) {
        this.kind = kind;
    }

    /** Takes a reference, creating the group if there is none. */
    synchronized EventLoopGroup acquire() {
        if (group == null) {
            group = kind.newGroup(Math.max(1, 2 * Runtime.getRuntime().availableProcessors()), "rpcx-tcp-client-" + kind.name());
        }
        users++;
        return group;
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

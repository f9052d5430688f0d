package rpcx.bench.nettyecho;

/** Target {@code a}: raw Netty echo, {@code writeAndFlush} per frame on both sides. */
public final class NettyEchoA extends NettyEchoTarget {
    /** Called by {@link java.util.ServiceLoader}. */
    public NettyEchoA() {
        super("a", false);
    }
}

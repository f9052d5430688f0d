package rpcx.bench.nettyecho;

/** Target {@code a2}: raw Netty echo, one write per frame and one flush per read burst on both sides. */
public final class NettyEchoA2 extends NettyEchoTarget {
    /** Called by {@link java.util.ServiceLoader}. */
    public NettyEchoA2() {
        super("a2", true);
    }
}

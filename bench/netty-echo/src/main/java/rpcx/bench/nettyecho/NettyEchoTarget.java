package rpcx.bench.nettyecho;

import java.util.Map;

import io.netty.util.Version;

import rpcx.bench.harness.Load;
import rpcx.bench.harness.Target;

/**
 * Raw Netty echo of a pre-encoded 621-byte rpcx request frame: the Java transport ceiling the frameworks are
 * measured against. One event-loop thread per side, TCP_NODELAY, epoll when available; the two concrete targets
 * differ only in how often they flush.
 */
public abstract class NettyEchoTarget implements Target {
    private final String id;
    private final boolean flushPerBurst;

    /**
     * @param id            the target id
     * @param flushPerBurst false: one flush per frame on both sides (target a); true: one write per frame and one
     *                      flush per read burst or batch of calls on both sides (target a2)
     */
    protected NettyEchoTarget(String id, boolean flushPerBurst) {
        this.id = id;
        this.flushPerBurst = flushPerBurst;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "raw Netty " + nettyVersion() + " echo of a pre-encoded " + EchoFrame.FRAME_SIZE + "-byte rpcx frame ("
                + "protobuf BenchmarkMessage " + rpcx.bench.harness.BenchPayload.PROTO_SIZE + " B), "
                + Transport.name() + ", 1 event-loop thread per side, TCP_NODELAY, LengthFieldBasedFrameDecoder(12, 4), "
                + (flushPerBurst
                ? "one write per frame and one flush per read burst (channelReadComplete) on both sides"
                : "writeAndFlush per frame on both sides");
    }

    private static String nettyVersion() {
        Version v = Version.identify(NettyEchoTarget.class.getClassLoader()).get("netty-transport");
        return v != null ? v.artifactVersion() : "(version unknown)";
    }

    @Override
    public AutoCloseable startServer(String host, int port, Map<String, String> options) throws Exception {
        return new EchoServer(id, host, port, flushPerBurst);
    }

    @Override
    public Load connect(String host, int port, int connections, Map<String, String> options) throws Exception {
        return new EchoClient(id, host, port, connections, flushPerBurst);
    }
}

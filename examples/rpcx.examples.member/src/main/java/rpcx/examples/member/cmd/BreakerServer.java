package rpcx.examples.member.cmd;

/**
 * The tutorial's {@code breaker} server: of the two addresses, only the first is served
 * ({@code go createServer(*addr0)}; {@code //go createServer(*addr1)} is commented out), so that
 * {@link BreakerClient} finds one server down. Flags: {@code -addr localhost:8972} (or {@code -addr0}),
 * {@code -addr1 localhost:8973} (not started).
 *
 * <pre>
 * examples/run.sh member BreakerServer -addr localhost:8972 -addr1 localhost:8973
 * </pre>
 */
public final class BreakerServer {
    private BreakerServer() {
    }

    /** Serves the first address until killed. */
    public static void main(String[] args) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        // -addr1 is accepted and not served: go createServer(*addr1) is commented out in the tutorial
        MultipleServer.serveAll(MultipleServer.createServers("", flags.first("localhost:8972", "addr", "addr0")));
    }
}

package rpcx.bench.harness;

import java.util.Map;

/**
 * One benchmark target (raw Netty, rpcx, gRPC, Dubbo...), found through {@link java.util.ServiceLoader} in the
 * target's own class path. The same jar runs as the server JVM and as the client JVM.
 */
public interface Target {
    /** The id used on the command line and in the results: {@code a}, {@code a2}, {@code b1}, {@code c}... */
    String id();

    /** One line saying what this target is and how it is configured (codec, executors, flush policy). */
    String description();

    /**
     * Starts the target's server on {@code host:port} and returns once it accepts connections. Its handler answers
     * a {@code BenchmarkMessage} with {@code field1 = "OK"}, {@code field2 = 100} (or the target's equivalent).
     */
    AutoCloseable startServer(String host, int port, Map<String, String> options) throws Exception;

    /** Opens {@code connections} client connections to {@code host:port}, ready for {@link Load#call}. */
    Load connect(String host, int port, int connections, Map<String, String> options) throws Exception;
}

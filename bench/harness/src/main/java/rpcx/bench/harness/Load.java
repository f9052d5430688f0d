package rpcx.bench.harness;

/** The client side of a target: a fixed set of open connections that calls can be issued on. */
public interface Load extends AutoCloseable {
    /**
     * Issues one asynchronous call on connection {@code connection} (0-based) and later calls
     * {@link Completion#done} exactly once, on any thread, with {@code ok} true only if the reply is the expected one.
     * Must not block the caller.
     */
    void call(int connection, Completion completion);

    /** Extra facts for the results (encoded payload size, executors...), or an empty string. */
    default String details() {
        return "";
    }

    @Override
    void close() throws Exception;
}

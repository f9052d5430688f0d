package rpcx.bench.harness;

/** Receives the outcome of one call issued through {@link Load#call}. */
@FunctionalInterface
public interface Completion {
    /**
     * One call finished: {@code ok} when the reply was the expected one ({@code field1 == "OK"}), otherwise
     * {@code error} says why (null for a wrong reply).
     */
    void done(boolean ok, Throwable error);
}

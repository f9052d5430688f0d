package rpcx.bench.dubbo;

import java.util.concurrent.CompletableFuture;

import rpcx.bench.proto.BenchmarkMessage;

/**
 * The benchmark's service for Dubbo triple, declared as a plain Java interface (no IDL stub). Both methods take and
 * return the protobuf {@link BenchmarkMessage}, so triple sends it as protobuf without a wrapper message
 * ({@code ReflectionPackableMethod.needWrap} is false for one protobuf argument and a protobuf result).
 */
public interface BenchmarkService {
    /**
     * Answers one call.
     *
     * @param request the 581-byte message the client sends
     * @return the request with {@code field1 = "OK"} and {@code field2 = 100}
     */
    BenchmarkMessage say(BenchmarkMessage request);

    /**
     * The same call, asynchronous: the consumer proxy returns at once with a future that the reply completes.
     * Triple sends it as its own unary method ({@code sayAsync}); the provider answers it like {@link #say}.
     *
     * @param request the 581-byte message the client sends
     * @return a future of the request with {@code field1 = "OK"} and {@code field2 = 100}
     */
    CompletableFuture<BenchmarkMessage> sayAsync(BenchmarkMessage request);
}

package rpcx.bench.dubbo;

import java.util.concurrent.CompletableFuture;

import rpcx.bench.proto.BenchmarkMessage;

/**
 * The provider's implementation: the service logic every target shares (spec/benchmark.md §5.2), no sleep and no
 * other work. Public because Dubbo's generated invoker wrapper calls it from another package.
 */
public final class BenchmarkServiceImpl implements BenchmarkService {
    /** Creates the implementation the provider exports. */
    public BenchmarkServiceImpl() {
    }

    @Override
    public BenchmarkMessage say(BenchmarkMessage request) {
        return request.toBuilder().setField1("OK").setField2(100).build();
    }

    @Override
    public CompletableFuture<BenchmarkMessage> sayAsync(BenchmarkMessage request) {
        return CompletableFuture.completedFuture(say(request));
    }
}

package rpcx.plugins.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import rpcx.api.CallContext;
import rpcx.api.ClientConnection;
import rpcx.api.ServerPlugin;
import rpcx.api.protocol.Message;

/**
 * Server metrics for Micrometer ({@code server.addPlugin(new MicrometerServerMetrics(registry))}):
 * <ul>
 *   <li>{@code rpcx.server.calls} — a timer per {@code service}, {@code method} and {@code outcome} ({@code ok} or
 *       {@code error}: an error reply, oneway calls that failed included), from the request's dispatch to its
 *       reply being ready, with a percentile histogram (the latency histogram of the registry's backend);</li>
 *   <li>{@code rpcx.server.connections} — a gauge of open connections, and {@code rpcx.server.connections.accepted}
 *       — a counter of accepted ones.</li>
 * </ul>
 * Calls refused before dispatch (auth, rate limits) are not timed. At most 1,000 service/method pairs are tagged
 * by name; further ones are tagged {@code other}.
 */
public final class MicrometerServerMetrics implements ServerPlugin {
    private final MeterRegistry registry;
    private final MethodTags names = new MethodTags(1000);
    private final ConcurrentHashMap<CallContext, Long> started = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter accepted;

    /**
     * Metrics into this registry.
     *
     * @param registry where the meters go
     */
    public MicrometerServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("rpcx.server.connections", open);
        this.accepted = Counter.builder("rpcx.server.connections.accepted").description("connections accepted")
                .register(registry);
    }

    @Override
    public boolean connectionAccepted(ClientConnection connection) {
        accepted.increment();
        open.incrementAndGet();
        return true;
    }

    @Override
    public void connectionClosed(ClientConnection connection) {
        open.decrementAndGet();
    }

    @Override
    public void preHandleRequest(CallContext context, Message request) {
        started.put(context, System.nanoTime());
    }

    @Override
    public void preWriteResponse(CallContext context, Message request, Message response, Throwable error) {
        Long start = started.remove(context);
        if (start == null) {
            return; // refused before dispatch
        }
        boolean failed = error != null || (response != null && response.isError());
        String[] tags = names.of(request.servicePath(), request.serviceMethod());
        Timer.builder("rpcx.server.calls").description("rpcx calls served")
                .tags("service", tags[0], "method", tags[1], "outcome", failed ? "error" : "ok")
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}

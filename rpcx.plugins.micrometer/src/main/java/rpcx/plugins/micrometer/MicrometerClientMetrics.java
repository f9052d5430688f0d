package rpcx.plugins.micrometer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import rpcx.api.ClientPlugin;
import rpcx.api.protocol.Message;

/**
 * Client metrics for Micrometer ({@code ClientOptions.withPlugin(new MicrometerClientMetrics(registry))}):
 * <ul>
 *   <li>{@code rpcx.client.calls} — a timer per {@code service}, {@code method} and {@code outcome} ({@code ok},
 *       {@code error} for an error reply, {@code failed} for no reply: timeout, transport), from sending a request
 *       to its reply, each attempt of a retried call counted, with a percentile histogram; oneway requests until
 *       written;</li>
 *   <li>{@code rpcx.client.connections} — a gauge of open connections, and the counters
 *       {@code rpcx.client.connections.created} and {@code rpcx.client.connections.failed} (dials).</li>
 * </ul>
 * At most 1,000 service/method pairs are tagged by name; further ones are tagged {@code other}.
 */
public final class MicrometerClientMetrics implements ClientPlugin {
    private final MeterRegistry registry;
    private final MethodTags names = new MethodTags(1000);
    private final AtomicInteger open = new AtomicInteger();
    private final Counter created;
    private final Counter failed;

    /**
     * Metrics into this registry.
     *
     * @param registry where the meters go
     */
    public MicrometerClientMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("rpcx.client.connections", open);
        this.created = Counter.builder("rpcx.client.connections.created").register(registry);
        this.failed = Counter.builder("rpcx.client.connections.failed").register(registry);
    }

    @Override
    public void connectionCreated(String address) {
        created.increment();
        open.incrementAndGet();
    }

    @Override
    public void connectionFailed(String address, Throwable error) {
        failed.increment();
    }

    @Override
    public void connectionClosed(String address) {
        open.decrementAndGet();
    }

    @Override
    public Exchange exchange(Message request) {
        long start = System.nanoTime();
        return new Exchange() {
            @Override
            public Message request() {
                return request;
            }

            @Override
            public void ended(Message response, Throwable error) {
                String outcome = error != null ? "failed" : response != null && response.isError() ? "error" : "ok";
                String[] tags = names.of(request.servicePath(), request.serviceMethod());
                Timer.builder("rpcx.client.calls").description("rpcx calls made")
                        .tags("service", tags[0], "method", tags[1], "outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }
}

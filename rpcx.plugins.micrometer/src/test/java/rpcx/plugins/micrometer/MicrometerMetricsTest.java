package rpcx.plugins.micrometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.RpcTimeoutException;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServiceException;
import rpcx.api.XClient;
import rpcx.testkit.Eventually;

/** Both plugins on a real server and client over TCP: the meters, their tags and counts, connections. */
class MicrometerMetricsTest {
    public record Args(int A, int B) {
    }

    public record Reply(int C) {
    }

    private static Timer timer(MeterRegistry r, String name, String method, String outcome) {
        return r.find(name).tags("service", "Arith", "method", method, "outcome", outcome).timer();
    }

    @Test
    void serverAndClientCountCallsErrorsLatencyAndConnections() throws Exception {
        PrometheusMeterRegistry serverMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterRegistry clientMeters = new SimpleMeterRegistry();
        try (Server server = Server.create()) {
            server.addPlugin(new MicrometerServerMetrics(serverMeters));
            server.registerFunction("Arith", "Mul", Args.class, (ctx, a) -> new Reply(a.A() * a.B()));
            server.registerFunction("Arith", "Div", Args.class, (ctx, a) -> {
                if (a.B() == 0) {
                    throw new ServiceException("divide by zero");
                }
                return new Reply(a.A() / a.B());
            });
            server.registerFunction("Arith", "Slow", Args.class, (ctx, a) -> {
                Thread.sleep(300);
                return new Reply(0);
            });
            String address = server.listen("tcp", "127.0.0.1:0");
            try (XClient client = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                    new Peer2PeerDiscovery(address, ""), ClientOptions.defaults().withPlugin(new MicrometerClientMetrics(clientMeters)))) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(new Reply(200), client.call("Mul", new Args(10, 20), Reply.class));
                }
                for (int i = 0; i < 2; i++) {
                    assertThrows(ServiceException.class, () -> client.call("Div", new Args(1, 0), Reply.class));
                }
                assertThrows(RpcTimeoutException.class, () -> client.call("Slow", new Args(1, 1), Reply.class,
                        CallOptions.timeout(Duration.ofMillis(50))));

                assertEquals(5, timer(clientMeters, "rpcx.client.calls", "Mul", "ok").count());
                assertEquals(2, timer(clientMeters, "rpcx.client.calls", "Div", "error").count());
                assertEquals(1, timer(clientMeters, "rpcx.client.calls", "Slow", "failed").count());
                Eventually.await(Duration.ofSeconds(5), () -> timer(serverMeters, "rpcx.server.calls", "Slow", "ok") != null,
                        () -> "the server finishes the slow call: " + serverMeters.getMeters());
                assertEquals(5, timer(serverMeters, "rpcx.server.calls", "Mul", "ok").count());
                assertEquals(2, timer(serverMeters, "rpcx.server.calls", "Div", "error").count());
                Timer slow = timer(serverMeters, "rpcx.server.calls", "Slow", "ok");
                assertTrue(slow.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 290, "latency recorded: " + slow.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
                String scrape = serverMeters.scrape();
                assertTrue(scrape.contains("rpcx_server_calls_seconds_bucket{method=\"Mul\",outcome=\"ok\",service=\"Arith\",le=\""),
                        "Prometheus sees a latency histogram per method:\n" + scrape);
                assertTrue(scrape.contains("rpcx_server_calls_seconds_count{method=\"Div\",outcome=\"error\",service=\"Arith\"} 2"), scrape);

                assertEquals(1.0, clientMeters.get("rpcx.client.connections").gauge().value());
                assertEquals(1.0, clientMeters.get("rpcx.client.connections.created").counter().count());
                assertEquals(1.0, serverMeters.get("rpcx.server.connections.accepted").counter().count());
                assertEquals(1.0, serverMeters.get("rpcx.server.connections").gauge().value());
            }
            Eventually.await(Duration.ofSeconds(5), () -> serverMeters.get("rpcx.server.connections").gauge().value() == 0
                    && clientMeters.get("rpcx.client.connections").gauge().value() == 0, () -> "connections closed on both sides");
        }
    }

    @Test
    void tagsAtMostTheLimitOfServiceMethodPairs() {
        MethodTags tags = new MethodTags(2);
        assertArrayEquals(new String[] {"A", "x"}, tags.of("A", "x"));
        assertArrayEquals(new String[] {"A", "y"}, tags.of("A", "y"));
        assertArrayEquals(new String[] {"other", "other"}, tags.of("A", "z"));
        assertArrayEquals(new String[] {"A", "x"}, tags.of("A", "x"), "pairs seen before keep their names");
    }
}

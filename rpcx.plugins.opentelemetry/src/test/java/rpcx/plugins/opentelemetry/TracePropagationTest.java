package rpcx.plugins.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServiceException;
import rpcx.api.XClient;
import rpcx.testkit.Eventually;

/** A trace across a client and two servers over TCP, and a Go client's traceparent taken as the parent. */
class TracePropagationTest {
    public record Text(String value) {
    }

    /** Keeps the ended spans. */
    static final class Recorded implements SpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        SpanData named(String name) {
            return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no span " + name + " in " + names()));
        }

        List<String> names() {
            return spans.stream().map(SpanData::getName).sorted().collect(Collectors.toList());
        }
    }

    private final Recorded recorded = new Recorded();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(recorded)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @AfterEach
    void close() {
        otel.close();
    }

    private XClient client(String service, String address) {
        return XClient.create(service, FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""),
                ClientOptions.defaults().withPlugin(new OpenTelemetryClientTracing(otel)));
    }

    @Test
    void oneTraceCrossesTheClientAndTwoServers() throws Exception {
        try (Server back = Server.create(); Server front = Server.create()) {
            back.addPlugin(new OpenTelemetryServerTracing(otel));
            back.registerFunction("Back", "Echo", Text.class, (ctx, a) -> new Text(ctx.requestMetadata("traceparent")));
            String backAddress = back.listen("tcp", "127.0.0.1:0");
            try (XClient toBack = client("Back", backAddress)) {
                front.addPlugin(new OpenTelemetryServerTracing(otel));
                front.registerFunction("Front", "Call", Text.class, (ctx, a) -> toBack.call("Echo", a, Text.class));
                String frontAddress = front.listen("tcp", "127.0.0.1:0");
                Text reply;
                Span root = otel.getTracer("test").spanBuilder("test").startSpan();
                try (XClient toFront = client("Front", frontAddress); Scope scope = root.makeCurrent()) {
                    reply = toFront.call("Call", new Text("x"), Text.class);
                } finally {
                    root.end();
                }
                Eventually.await(Duration.ofSeconds(5), () -> recorded.spans.size() == 5, recorded::names);

                SpanData test = recorded.named("test");
                SpanData callFront = recorded.named("rpcx.client.Front.Call");
                SpanData servedFront = recorded.named("rpcx.service.Front.Call");
                SpanData callBack = recorded.named("rpcx.client.Back.Echo");
                SpanData servedBack = recorded.named("rpcx.service.Back.Echo");
                for (SpanData s : recorded.spans) {
                    assertEquals(test.getTraceId(), s.getTraceId(), "one trace: " + s.getName());
                }
                assertEquals(test.getSpanId(), callFront.getParentSpanId());
                assertEquals(callFront.getSpanId(), servedFront.getParentSpanId());
                assertEquals(servedFront.getSpanId(), callBack.getParentSpanId(), "the inner call continues the served one");
                assertEquals(callBack.getSpanId(), servedBack.getParentSpanId());
                assertEquals(SpanKind.CLIENT, callBack.getKind());
                assertEquals(SpanKind.SERVER, servedBack.getKind());
                assertEquals("rpcx", servedBack.getAttributes().get(OpenTelemetryServerTracing.RPC_SYSTEM));
                assertEquals("Back", servedBack.getAttributes().get(OpenTelemetryServerTracing.RPC_SERVICE));
                assertEquals("Echo", servedBack.getAttributes().get(OpenTelemetryServerTracing.RPC_METHOD));
                assertEquals(StatusCode.OK, servedBack.getStatus().getStatusCode());
                String traceparent = reply.value(); // what the back server received, as Go's plugin reads it
                assertTrue(traceparent.startsWith("00-" + test.getTraceId() + "-" + callBack.getSpanId() + "-"), traceparent);
                assertEquals(1, Integer.parseInt(traceparent.substring(53), 16) & 1, "W3C flags: sampled " + traceparent);
            }
        }
    }

    /** The traceparent a Go client's plugin puts in the metadata becomes the server span's parent; errors show. */
    @Test
    void aGoClientsTraceparentIsTheParentAndErrorsAreMarked() throws Exception {
        try (Server server = Server.create()) {
            server.addPlugin(new OpenTelemetryServerTracing(otel));
            server.registerFunction("Arith", "Div", Text.class, (ctx, a) -> {
                throw new ServiceException("divide by zero");
            });
            String address = server.listen("tcp", "127.0.0.1:0");
            try (XClient plain = XClient.create("Arith", FailMode.FAILFAST, SelectMode.RANDOM_SELECT,
                    new Peer2PeerDiscovery(address, ""), ClientOptions.defaults())) {
                assertThrows(ServiceException.class, () -> plain.call("Div", new Text("x"), Text.class,
                        CallOptions.NONE.withMetadata("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
            }
            Eventually.await(Duration.ofSeconds(5), () -> recorded.spans.size() == 1, recorded::names);
            SpanData served = recorded.named("rpcx.service.Arith.Div");
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", served.getTraceId());
            assertEquals("00f067aa0ba902b7", served.getParentSpanId());
            assertTrue(served.getParentSpanContext().isRemote());
            assertEquals(StatusCode.ERROR, served.getStatus().getStatusCode());
            assertEquals("divide by zero", served.getStatus().getDescription());
        }
    }

    /** A call without a reply (a timeout) is an error span; served calls leave nothing behind. */
    @Test
    void aCallWithoutAReplyIsAnErrorAndServedCallsAreForgotten() throws Exception {
        try (Server server = Server.create()) {
            server.addPlugin(new OpenTelemetryServerTracing(otel));
            server.registerFunction("Echo", "Say", Text.class, (ctx, a) -> a);
            server.registerFunction("Echo", "Slow", Text.class, (ctx, a) -> {
                Thread.sleep(300);
                return a;
            });
            String address = server.listen("tcp", "127.0.0.1:0");
            try (XClient c = client("Echo", address)) {
                for (int i = 0; i < 20; i++) {
                    c.call("Say", new Text("hi"), Text.class);
                }
                assertThrows(rpcx.api.RpcTimeoutException.class, () -> c.call("Slow", new Text("hi"), Text.class,
                        CallOptions.timeout(Duration.ofMillis(50))));
            }
            Eventually.await(Duration.ofSeconds(5), () -> recorded.spans.size() == 42, recorded::names);
            assertEquals(StatusCode.ERROR, recorded.named("rpcx.client.Echo.Slow").getStatus().getStatusCode());
            assertEquals(Map.of(), Carriers.SERVING, "every served call was forgotten");
        }
    }
}

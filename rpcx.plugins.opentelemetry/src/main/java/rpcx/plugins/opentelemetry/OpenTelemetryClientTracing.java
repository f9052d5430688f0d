package rpcx.plugins.opentelemetry;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import rpcx.api.ClientPlugin;
import rpcx.api.protocol.Message;

/**
 * A client span per request sent ({@code ClientOptions.withPlugin(new OpenTelemetryClientTracing(openTelemetry))}),
 * named as Go rpcx's plugin names it, {@code rpcx.client.<service>.<method>} (kind client; Go's has none), its parent
 * the caller's current context or, inside a service method, the server span of the call being served; the trace
 * context is injected into the request's metadata ({@code traceparent}, {@code tracestate}) for the server, Go's
 * or Java's. Its status is an error for an error reply or no reply; each attempt of a retried call is a span.
 */
public final class OpenTelemetryClientTracing implements ClientPlugin {
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    /**
     * Tracing with this OpenTelemetry (its tracer provider and text map propagator).
     *
     * @param openTelemetry e.g. {@code GlobalOpenTelemetry.get()} or an SDK built by the application
     */
    public OpenTelemetryClientTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("rpcx.plugins.opentelemetry");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public Exchange exchange(Message request) {
        Context parent = Carriers.parent();
        Span span = tracer.spanBuilder("rpcx.client." + request.servicePath() + "." + request.serviceMethod())
                .setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(OpenTelemetryServerTracing.RPC_SYSTEM, "rpcx")
                .setAttribute(OpenTelemetryServerTracing.RPC_SERVICE, request.servicePath())
                .setAttribute(OpenTelemetryServerTracing.RPC_METHOD, request.serviceMethod())
                .startSpan();
        Map<String, String> metadata = new HashMap<>(request.metadata());
        propagator.inject(parent.with(span), metadata, Carriers.SETTER);
        Message traced = request.withMetadata(metadata);
        return new Exchange() {
            @Override
            public Message request() {
                return traced;
            }

            @Override
            public void ended(Message response, Throwable error) {
                if (error != null) {
                    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                } else if (response != null && response.isError()) {
                    span.setStatus(StatusCode.ERROR, String.valueOf(response.errorMessage()));
                } else {
                    span.setStatus(StatusCode.OK);
                }
                span.end();
            }
        };
    }
}

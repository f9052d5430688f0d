package rpcx.plugins.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import rpcx.api.CallContext;
import rpcx.api.ServerPlugin;
import rpcx.api.protocol.Message;

/**
 * A server span per call ({@code server.addPlugin(new OpenTelemetryServerTracing(openTelemetry))}), named as Go
 * rpcx's plugin names it, {@code rpcx.service.<service>.<method>}, of kind server, its parent the trace context
 * the request's metadata carries ({@code traceparent}, from a Go or a Java client), attributes {@code rpc.system}
 * = {@code rpcx}, {@code rpc.service}, {@code rpc.method}; its status an error when the reply is one. It runs from
 * dispatch to the reply being ready. A call the service method makes through a client with
 * {@link OpenTelemetryClientTracing}, on the thread rpcx runs the method on, is a child of this span.
 */
public final class OpenTelemetryServerTracing implements ServerPlugin {
    static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    /**
     * Tracing with this OpenTelemetry (its tracer provider and text map propagator).
     *
     * @param openTelemetry e.g. {@code GlobalOpenTelemetry.get()} or an SDK built by the application
     */
    public OpenTelemetryServerTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("rpcx.plugins.opentelemetry");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    public void preHandleRequest(CallContext context, Message request) {
        Context parent = propagator.extract(Context.root(), request.metadata(), Carriers.GETTER);
        Span span = tracer.spanBuilder("rpcx.service." + request.servicePath() + "." + request.serviceMethod())
                .setSpanKind(SpanKind.SERVER).setParent(parent)
                .setAttribute(RPC_SYSTEM, "rpcx")
                .setAttribute(RPC_SERVICE, request.servicePath())
                .setAttribute(RPC_METHOD, request.serviceMethod())
                .startSpan();
        Carriers.SERVING.put(context, parent.with(span));
    }

    @Override
    public void preWriteResponse(CallContext context, Message request, Message response, Throwable error) {
        Context served = Carriers.SERVING.remove(context);
        if (served == null) {
            return; // refused before dispatch
        }
        Span span = Span.fromContext(served);
        if (error != null) {
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        } else if (response != null && response.isError()) {
            span.setStatus(StatusCode.ERROR, String.valueOf(response.errorMessage()));
        } else {
            span.setStatus(StatusCode.OK);
        }
        span.end();
    }
}

/**
 * OpenTelemetry tracing for rpcx: {@link rpcx.plugins.opentelemetry.OpenTelemetryServerTracing} (a server plugin)
 * and {@link rpcx.plugins.opentelemetry.OpenTelemetryClientTracing} (a client plugin). A span per call, and the trace
 * context (W3C {@code traceparent}, {@code tracestate}) in the request metadata, where Go rpcx's OpenTelemetry
 * plugin puts and reads it, so traces join across Go and Java services. The OpenTelemetry API jars are automatic
 * modules: use this module from the module path (a jlink image cannot hold it).
 */
module rpcx.plugins.opentelemetry {
    requires rpcx.api;
    requires transitive io.opentelemetry.api;
    requires transitive io.opentelemetry.context;

    exports rpcx.plugins.opentelemetry;
}

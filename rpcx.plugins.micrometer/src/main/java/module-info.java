/**
 * rpcx metrics through Micrometer: {@link rpcx.plugins.micrometer.MicrometerServerMetrics} (a server plugin) and
 * {@link rpcx.plugins.micrometer.MicrometerClientMetrics} (a client plugin) record calls, errors and latency
 * histograms per service and method, and connections, into any {@code MeterRegistry} (Prometheus, OTLP, JMX...).
 * Micrometer is an automatic module: use this module from the module path (a jlink image cannot hold it).
 */
module rpcx.plugins.micrometer {
    requires rpcx.api;
    requires transitive micrometer.core;

    exports rpcx.plugins.micrometer;
}

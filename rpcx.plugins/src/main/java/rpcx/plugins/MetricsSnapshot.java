package rpcx.plugins;

import java.util.List;
import java.util.Optional;

/**
 * The numbers of a {@link Metrics} plugin at one moment. Counters count since the plugin was made; rates are the
 * events of the last second; times are in milliseconds.
 *
 * @param name                the plugin's name (its JMX {@code name} key)
 * @param servicesRegistered  services registered (Go's {@code serviceCounter})
 * @param connectionsAccepted connections accepted (Go's {@code clientMeter} count)
 * @param connectionsOpen     of those, the ones still open
 * @param acceptsPerSecond    connections accepted in the last second
 * @param methods             one entry per {@code servicePath.serviceMethod}, sorted by service then method
 */
public record MetricsSnapshot(String name, long servicesRegistered, long connectionsAccepted, int connectionsOpen,
                              double acceptsPerSecond, List<Method> methods) {

    /** Copies the method list. */
    public MetricsSnapshot {
        methods = List.copyOf(methods);
    }

    /** The entry of one method, if it has seen any traffic. */
    public Optional<Method> method(String servicePath, String serviceMethod) {
        return methods.stream()
                .filter(m -> m.servicePath().equals(servicePath) && m.serviceMethod().equals(serviceMethod))
                .findFirst();
    }

    /** Requests read, over all methods. */
    public long totalRequests() {
        return methods.stream().mapToLong(Method::requests).sum();
    }

    /** Calls made, over all methods. */
    public long totalCalls() {
        return methods.stream().mapToLong(Method::calls).sum();
    }

    /** Calls that failed, over all methods. */
    public long totalErrors() {
        return methods.stream().mapToLong(Method::errors).sum();
    }

    /** Requests read in the last second, over all methods. */
    public double totalReadQps() {
        return methods.stream().mapToDouble(Method::readQps).sum();
    }

    /** Replies written in the last second, over all methods. */
    public double totalWriteQps() {
        return methods.stream().mapToDouble(Method::writeQps).sum();
    }

    /**
     * The numbers of one {@code servicePath.serviceMethod} (as the request frame names it; {@code "*"."*"} gathers
     * the names beyond the plugin's limit).
     *
     * @param servicePath   the service path
     * @param serviceMethod the method
     * @param requests      request frames read ({@code postReadRequest})
     * @param calls         service calls that returned or failed ({@code postCall})
     * @param errors        of those, the failed ones
     * @param replies       reply frames written ({@code postWriteResponse})
     * @param errorReplies  of those, the error replies (failed calls, unknown methods, refusals...)
     * @param readQps       requests read in the last second (Go's {@code Read_Qps})
     * @param writeQps      replies written in the last second (Go's {@code Write_Qps})
     * @param callTime      the time the service took, from {@code preCall} to {@code postCall}
     */
    public record Method(String servicePath, String serviceMethod, long requests, long calls, long errors,
                         long replies, long errorReplies, double readQps, double writeQps, CallTime callTime) {
    }

    /**
     * Call times (Go's {@code CallTime} histogram), in milliseconds. Percentiles are estimated from the buckets
     * (linear inside the bucket that holds the rank, within the observed minimum and maximum).
     *
     * @param count      calls timed
     * @param meanMillis the mean
     * @param minMillis  the shortest
     * @param maxMillis  the longest
     * @param p50Millis  the median
     * @param p90Millis  the 90th percentile
     * @param p99Millis  the 99th percentile
     * @param buckets    the fixed buckets, the last one without upper bound
     */
    public record CallTime(long count, double meanMillis, double minMillis, double maxMillis, double p50Millis,
                           double p90Millis, double p99Millis, List<Bucket> buckets) {
        /** Copies the bucket list. */
        public CallTime {
            buckets = List.copyOf(buckets);
        }
    }

    /**
     * One histogram bucket: the calls that took more than the previous bound and at most this one.
     *
     * @param upperBoundMillis the inclusive upper bound ({@code Infinity} for the last bucket)
     * @param count            the calls in it
     */
    public record Bucket(double upperBoundMillis, long count) {
    }
}

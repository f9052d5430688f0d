package rpcx.plugins;

import java.util.List;

/**
 * The JMX view of a {@link Metrics} plugin, registered by {@link Metrics#register} under
 * {@code rpcx:type=ServerMetrics,name=<name>}. Every attribute is read from a fresh {@link MetricsSnapshot}; the
 * records map to open types ({@code Methods} is an array of {@code CompositeData}).
 */
public interface ServerMetricsMXBean {
    /** The plugin's name. */
    String getName();

    /** Services registered. */
    long getServicesRegistered();

    /** Connections accepted. */
    long getConnectionsAccepted();

    /** Connections open. */
    int getConnectionsOpen();

    /** Connections accepted in the last second. */
    double getAcceptsPerSecond();

    /** Requests read, over all methods. */
    long getRequests();

    /** Calls made, over all methods. */
    long getCalls();

    /** Failed calls, over all methods. */
    long getErrors();

    /** Requests read in the last second, over all methods. */
    double getReadQps();

    /** Replies written in the last second, over all methods. */
    double getWriteQps();

    /** The numbers of each method. */
    List<MetricsSnapshot.Method> getMethods();
}

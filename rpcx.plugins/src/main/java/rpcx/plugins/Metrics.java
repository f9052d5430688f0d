package rpcx.plugins;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import rpcx.api.CallContext;
import rpcx.api.ClientConnection;
import rpcx.api.ServerPlugin;
import rpcx.api.protocol.Message;

/**
 * Counts what a server does (Go's {@code serverplugin.MetricsPlugin}): services registered, connections accepted
 * and open, and per {@code servicePath.serviceMethod} the requests read, the calls and their failures, the replies
 * written, the requests and replies of the last second (Go's {@code Read_Qps}/{@code Write_Qps}) and a histogram of
 * call times with p50/p90/p99 (Go's {@code CallTime}).
 *
 * <pre>{@code server.addPlugin(new Metrics("orders").register(ManagementFactory.getPlatformMBeanServer()));}</pre>
 *
 * <p>One plugin serves one server (connections are told apart by their id, unique within a server). Read the
 * numbers with {@link #snapshot()}, or through JMX: {@link #register(MBeanServer)} registers a
 * {@link ServerMetricsMXBean} as {@code rpcx:type=ServerMetrics,name=<name>} (JConsole, VisualVM, any JMX
 * exporter); {@link #unregister()} removes it.
 *
 * <h2>Where each number comes from</h2>
 * <ul>
 *   <li>{@code servicesRegistered}: {@link #register} (functions are not services and are not counted, as in Go);</li>
 *   <li>{@code connectionsAccepted}, {@code acceptsPerSecond}: {@link #connectionAccepted};
 *       {@code connectionsOpen}: those not yet seen by {@link #connectionClosed} and still open;</li>
 *   <li>{@code requests}, {@code readQps}: {@link #postReadRequest}, by the frame's names (after an {@link Alias}
 *       added before this plugin); frames without a service path are not counted, as in Go;</li>
 *   <li>{@code calls}, {@code errors}: {@link #postCall} (services and functions; a failed call is one with an
 *       error);</li>
 *   <li>{@code replies}, {@code errorReplies}, {@code writeQps}: {@link #postWriteResponse}, by the reply's names;</li>
 *   <li>{@code callTime}: from {@link #preCall} to {@link #postCall} of the same call, on {@code System.nanoTime()}:
 *       the time the service method took (including an asynchronous reply), not counting the decoding of the
 *       request or the writing of the reply. Go measures from the read of the request to the write of the reply;
 *       {@link CallContext} carries neither the arrival time nor attributes, so the start is kept in a map keyed by
 *       the {@link CallContext} instance, removed at {@code postCall} (or {@code postWriteResponse}, should
 *       {@code postCall} not come).</li>
 * </ul>
 * Plugins added before this one that refuse a connection or a request hide it from this one: add it first to count
 * everything, last to count what got through.
 *
 * <p>Method names come from clients, so at most {@code maxMethods} entries are made (1024 by default); the traffic of
 * further names is gathered under {@code "*"."*"}.
 *
 * <p>Differences from Go: no go-metrics registry and its reporters (Log, Graphite, expvar): JMX is Java's common
 * ground, and {@link #snapshot()} feeds any other reporter; rates are the count of the last second, not decaying
 * averages; the histogram has fixed buckets rather than an exponentially decaying sample.
 */
public final class Metrics implements ServerPlugin {
    /** The name used by {@link #Metrics()}. */
    public static final String DEFAULT_NAME = "default";
    /** The service path and method under which names beyond the limit are counted. */
    public static final String OTHER = "*";

    private static final long MAX_CALL_NANOS = TimeUnit.MINUTES.toNanos(30);
    private static final int SWEEP_ABOVE = 10_000;

    private record Key(String servicePath, String serviceMethod) {
    }

    private static final class MethodStats {
        final Key key;
        final LongAdder requests = new LongAdder();
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder replies = new LongAdder();
        final LongAdder errorReplies = new LongAdder();
        final RollingRate read;
        final RollingRate write;
        final CallTimeHistogram callTime = new CallTimeHistogram();

        MethodStats(Key key, LongSupplier clock) {
            this.key = key;
            this.read = new RollingRate(clock);
            this.write = new RollingRate(clock);
        }

        MetricsSnapshot.Method snapshot() {
            return new MetricsSnapshot.Method(key.servicePath(), key.serviceMethod(), requests.sum(), calls.sum(),
                    errors.sum(), replies.sum(), errorReplies.sum(), read.lastSecond(), write.lastSecond(),
                    callTime.snapshot());
        }
    }

    private final String name;
    private final ObjectName objectName;
    private final LongSupplier clock;
    private final int maxMethods;
    private final LongAdder servicesRegistered = new LongAdder();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final RollingRate accepts;
    private final ConcurrentHashMap<Long, ClientConnection> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, MethodStats> methods = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CallContext, Long> started = new ConcurrentHashMap<>();
    private volatile long lastSweep;
    private MBeanServer registeredWith;

    /** Metrics named {@value #DEFAULT_NAME}. */
    public Metrics() {
        this(DEFAULT_NAME);
    }

    /** Metrics with a name, the {@code name} key of its JMX ObjectName (one per server in a JVM). */
    public Metrics(String name) {
        this(name, System::nanoTime, 1024);
    }

    /** Metrics with a name and a limit on the number of method entries. */
    public Metrics(String name, int maxMethods) {
        this(name, System::nanoTime, maxMethods);
    }

    Metrics(String name, LongSupplier nanoClock, int maxMethods) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the metrics name must not be empty");
        }
        if (maxMethods < 1) {
            throw new IllegalArgumentException("maxMethods must be at least 1: " + maxMethods);
        }
        this.name = name;
        this.objectName = objectNameOf(name);
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.maxMethods = maxMethods;
        this.accepts = new RollingRate(clock);
        this.lastSweep = clock.getAsLong();
    }

    private static ObjectName objectNameOf(String name) {
        boolean plain = name.chars().noneMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0);
        try {
            return new ObjectName("rpcx:type=ServerMetrics,name=" + (plain ? name : ObjectName.quote(name)));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("the metrics name cannot be an ObjectName value: \"" + name + "\"", e);
        }
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** {@code rpcx:type=ServerMetrics,name=<name>} (the name quoted when it holds {@code , = : " * ? \}). */
    public ObjectName objectName() {
        return objectName;
    }

    /**
     * Registers the {@link ServerMetricsMXBean} with an MBean server (e.g.
     * {@code ManagementFactory.getPlatformMBeanServer()}); returns this plugin. IllegalStateException when it is
     * registered already, or when the name is taken (by another server's metrics of the same name).
     */
    public synchronized Metrics register(MBeanServer server) {
        Objects.requireNonNull(server, "server");
        if (registeredWith != null) {
            throw new IllegalStateException(objectName + " is registered already");
        }
        try {
            server.registerMBean(new StandardMBean(new View(), ServerMetricsMXBean.class, true), objectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException(objectName + " is registered already by another plugin", e);
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            throw new IllegalStateException("cannot register " + objectName + ": " + e.getMessage(), e);
        }
        registeredWith = server;
        return this;
    }

    /** Removes the MXBean registered by {@link #register}; does nothing when there is none. */
    public synchronized void unregister() {
        MBeanServer server = registeredWith;
        if (server == null) {
            return;
        }
        registeredWith = null;
        try {
            server.unregisterMBean(objectName);
        } catch (InstanceNotFoundException gone) {
            // unregistered by someone else: the goal is reached
        } catch (MBeanRegistrationException e) {
            throw new IllegalStateException("cannot unregister " + objectName + ": " + e.getMessage(), e);
        }
    }

    /** Whether the MXBean is registered. */
    public synchronized boolean isRegistered() {
        return registeredWith != null;
    }

    /** The numbers now. */
    public MetricsSnapshot snapshot() {
        List<MetricsSnapshot.Method> list = new ArrayList<>(methods.size());
        for (MethodStats s : methods.values()) {
            list.add(s.snapshot());
        }
        list.sort(Comparator.comparing(MetricsSnapshot.Method::servicePath).thenComparing(MetricsSnapshot.Method::serviceMethod));
        return new MetricsSnapshot(name, servicesRegistered.sum(), connectionsAccepted.sum(), openConnections(),
                accepts.lastSecond(), list);
    }

    private int openConnections() {
        open.values().removeIf(c -> !c.isOpen());
        return open.size();
    }

    private MethodStats stats(String servicePath, String serviceMethod) {
        Key key = new Key(servicePath, serviceMethod);
        MethodStats s = methods.get(key);
        if (s != null) {
            return s;
        }
        if (methods.size() >= maxMethods) {
            key = new Key(OTHER, OTHER);
        }
        return methods.computeIfAbsent(key, k -> new MethodStats(k, clock));
    }

    @Override
    public void register(String serviceName, Object service, String metadata) {
        servicesRegistered.increment();
    }

    @Override
    public boolean connectionAccepted(ClientConnection connection) {
        connectionsAccepted.increment();
        accepts.mark();
        open.put(connection.id(), connection);
        return true;
    }

    @Override
    public void connectionClosed(ClientConnection connection) {
        open.remove(connection.id());
    }

    @Override
    public Message postReadRequest(ClientConnection connection, Message request) {
        if (!request.isHeartbeat() && !request.isResponse() && !request.servicePath().isEmpty()) {
            MethodStats s = stats(request.servicePath(), request.serviceMethod());
            s.requests.increment();
            s.read.mark();
        }
        return request;
    }

    @Override
    public Object preCall(CallContext context, String servicePath, String method, Object args) {
        if (context != null) {
            long now = clock.getAsLong();
            started.put(context, now);
            if (started.size() > SWEEP_ABOVE && now - lastSweep > TimeUnit.SECONDS.toNanos(1)) {
                lastSweep = now;
                started.values().removeIf(t -> now - t > MAX_CALL_NANOS);
            }
        }
        return args;
    }

    @Override
    public Object postCall(CallContext context, String servicePath, String method, Object args, Object reply,
                           Throwable error) {
        Long start = context == null ? null : started.remove(context);
        MethodStats s = stats(servicePath, method);
        s.calls.increment();
        if (error != null) {
            s.errors.increment();
        }
        if (start != null) {
            long took = clock.getAsLong() - start;
            if (took < MAX_CALL_NANOS) { // as Go: a longer call time is taken for a clock problem
                s.callTime.record(took);
            }
        }
        return reply;
    }

    @Override
    public void postWriteResponse(CallContext context, Message request, Message response, Throwable error) {
        if (context != null) {
            started.remove(context);
        }
        Message m = response != null ? response : request;
        if (m == null || m.servicePath().isEmpty()) {
            return;
        }
        MethodStats s = stats(m.servicePath(), m.serviceMethod());
        s.replies.increment();
        s.write.mark();
        if (error != null || (response != null && response.isError())) {
            s.errorReplies.increment();
        }
    }

    /** Calls whose start is held, waiting for their postCall (for tests). */
    int callsInFlight() {
        return started.size();
    }

    @Override
    public String toString() {
        return "Metrics[" + name + "]";
    }

    private final class View implements ServerMetricsMXBean {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getServicesRegistered() {
            return servicesRegistered.sum();
        }

        @Override
        public long getConnectionsAccepted() {
            return connectionsAccepted.sum();
        }

        @Override
        public int getConnectionsOpen() {
            return openConnections();
        }

        @Override
        public double getAcceptsPerSecond() {
            return accepts.lastSecond();
        }

        @Override
        public long getRequests() {
            return snapshot().totalRequests();
        }

        @Override
        public long getCalls() {
            return snapshot().totalCalls();
        }

        @Override
        public long getErrors() {
            return snapshot().totalErrors();
        }

        @Override
        public double getReadQps() {
            return snapshot().totalReadQps();
        }

        @Override
        public double getWriteQps() {
            return snapshot().totalWriteQps();
        }

        @Override
        public List<MetricsSnapshot.Method> getMethods() {
            return snapshot().methods();
        }
    }
}

package rpcx.registry.consul.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.kiwiproject.consul.model.kv.Value;

import rpcx.api.RpcException;
import rpcx.api.spi.AbstractRegistryPlugin;
import rpcx.api.spi.RegistryMetrics;
import rpcx.registry.consul.ConsulOptions;

/**
 * Go's {@code ConsulRegisterPlugin}: {@code basePath} ({@code rpcx_path}) and {@code basePath/Service} (its name)
 * as plain keys, {@code basePath/Service/network@host:port} (the metadata) held by a TTL session with
 * {@code Behavior=delete}; every update interval each node is read back, merged with the metrics, written again and
 * its session renewed (a vanished node is written again with its registered metadata); deleted on unregister and on
 * close. A registration Consul refused (it was down) is retried every second until it is made.
 */
public final class ConsulRegistration extends AbstractRegistryPlugin {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.consul");
    private static final long RETRY_MILLIS = 1000;

    private final ConsulOptions options;
    private final ConsulKv kv;
    /** Published services: name -> registered metadata. */
    private final Map<String, String> services = new ConcurrentHashMap<>();
    /** Services whose registration failed and is retried. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final Duration ttl;
    private boolean closed; // guarded by this

    /** Creates the client; nothing is sent before the first registration. */
    public ConsulRegistration(ConsulOptions options, String serviceAddress) {
        super(serviceAddress);
        this.options = options;
        this.kv = new ConsulKv(options);
        this.ttl = options.updateInterval().isZero() ? Duration.ZERO : options.ttl();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rpcx-consul-registration");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::retryPending, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        long update = options.updateInterval().toMillis();
        if (update > 0) {
            timer.scheduleWithFixedDelay(this::republish, update, update, TimeUnit.MILLISECONDS);
        }
    }

    private String nodeKey(String service) {
        return nodePath(options.basePath(), service);
    }

    @Override
    protected synchronized void publish(String service, String metadata) {
        if (closed) {
            throw new IllegalStateException("the Consul registration of " + serviceAddress() + " is closed");
        }
        services.put(service, metadata);
        try {
            put(service, metadata);
            pending.remove(service);
        } catch (RpcException e) {
            pending.add(service);
            LOG.log(System.Logger.Level.WARNING, "rpcx: " + e.getMessage() + "; " + service
                    + " will be registered as soon as Consul answers");
        }
    }

    /** Go's {@code Register}: the two directory keys without a TTL, then the node with one. */
    private void put(String service, String metadata) {
        kv.put(options.basePath(), "rpcx_path", Duration.ZERO);
        kv.put(options.basePath() + "/" + service, service, Duration.ZERO);
        kv.put(nodeKey(service), metadata, ttl);
    }

    private synchronized void retryPending() {
        if (closed) {
            return;
        }
        for (String service : pending) {
            String metadata = services.get(service);
            try {
                if (metadata != null) {
                    put(service, metadata);
                }
                pending.remove(service);
            } catch (RpcException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: Consul still unreachable: " + e.getMessage());
                return;
            }
        }
    }

    /**
     * Every update interval, as Go does: each node's current value read back (so what others changed stays), the
     * metrics set in it when asked for, written again (renewing its session); a vanished node is written again with
     * its registered metadata.
     */
    private void republish() {
        Map<String, String> extra = options.metrics() ? metrics.rates() : Map.of();
        for (String service : services.keySet()) {
            if (!republish(service, extra)) {
                return;
            }
        }
    }

    /** One node, under the lock (so registrations interleave with a long round); false when Consul failed. */
    private synchronized boolean republish(String service, Map<String, String> extra) {
        String registered = services.get(service);
        if (closed || registered == null) {
            return !closed;
        }
        String key = nodeKey(service);
        try {
            // Go writes blindly after its read; a change made in between (rpcx-ui's state=inactive) would be lost,
            // so the write is conditional on the index read, and read again when the key moved
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<Value> now = kv.get(key);
                if (now.isEmpty()) {
                    kv.put(key, registered, ttl);
                    return true;
                }
                String value = RegistryMetrics.merge(ConsulKv.text(now.get()), extra);
                if (kv.write(key, value, ttl, now.get().getModifyIndex())) {
                    return true;
                }
            }
            return true; // changing under us all the time: the next round tries again
        } catch (RpcException ex) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: Consul re-put of " + key + " failed: " + ex.getMessage());
            return false;
        }
    }

    @Override
    public synchronized void unregister(String name) {
        pending.remove(name);
        if (services.remove(name) != null && !closed) {
            try { // as Go's Unregister: the directory keys written again, then the node deleted
                kv.put(options.basePath(), "rpcx_path", Duration.ZERO);
                kv.put(options.basePath() + "/" + name, name, Duration.ZERO);
            } catch (RpcException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: " + e.getMessage());
            }
            delete(name);
        }
    }

    private void delete(String service) {
        try {
            kv.delete(nodeKey(service));
        } catch (RpcException e) {
            LOG.log(System.Logger.Level.WARNING, "rpcx: " + e.getMessage()
                    + (!(ttl.isZero() || ttl.isNegative()) ? " (the node goes when its session expires)" : ""));
        }
    }

    /** Deletes the nodes still published (as Go's {@code Stop}); their sessions expire unrenewed, as in Go. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            timer.shutdownNow();
            services.keySet().forEach(this::delete);
            services.clear();
        }
        kv.close();
    }
}

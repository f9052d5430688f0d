package rpcx.registry.etcd.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import rpcx.api.RpcException;
import rpcx.api.spi.AbstractRegistryPlugin;
import rpcx.api.spi.RegistryMetrics;
import rpcx.registry.etcd.EtcdOptions;

/**
 * Go's {@code EtcdV3RegisterPlugin}: every key on one lease, granted with the first registration and kept alive
 * every third of its TTL; nodes re-put every update interval; a node deleted on unregister and on close. A lost
 * lease (etcd restarted, or the server was stopped longer than the TTL) is granted anew and every node put again,
 * so registration comes back by itself.
 */
public final class EtcdRegistration extends AbstractRegistryPlugin {
    private static final System.Logger LOG = System.getLogger("rpcx.registry.etcd");

    private final EtcdOptions options;
    private final Client client;
    /** Published services: name -> metadata. */
    private final Map<String, String> services = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private long leaseId; // guarded by this
    private boolean closed; // guarded by this

    /** Connects lazily: nothing is sent before the first registration. */
    public EtcdRegistration(EtcdOptions options, String serviceAddress) {
        super(serviceAddress);
        this.options = options;
        this.client = Etcd.client(options);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rpcx-etcd-registration");
            t.setDaemon(true);
            return t;
        });
        long keepAlive = Math.max(1, options.leaseTtl().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        long update = options.updateInterval().toMillis();
        if (update > 0) {
            timer.scheduleWithFixedDelay(this::republish, update, update, TimeUnit.MILLISECONDS);
        }
    }

    String nodeKey(String service) {
        return nodePath(options.basePath(), service);
    }

    /**
     * Puts the service's keys; when etcd cannot be reached the registration is kept and made as soon as it answers
     * (Go's plugin, too, logs the failed put and lets the server start).
     */
    @Override
    protected synchronized void publish(String service, String metadata) {
        if (closed) {
            throw new IllegalStateException("the etcd registration of " + serviceAddress() + " is closed");
        }
        services.put(service, metadata);
        try {
            put(service, metadata, lease());
        } catch (RpcException e) {
            leaseId = 0; // the next keep-alive tick grants a lease and puts every node
            LOG.log(System.Logger.Level.WARNING, "rpcx: " + e.getMessage() + "; " + service
                    + " will be registered as soon as etcd answers");
        }
    }

    private void put(String service, String metadata, long lease) {
        PutOption withLease = PutOption.builder().withLeaseId(lease).build();
        String what = "registering " + service + " at " + serviceAddress();
        Etcd.await(client.getKVClient().put(Etcd.bytes(options.basePath()), Etcd.bytes("rpcx_path"), withLease), options, what);
        Etcd.await(client.getKVClient().put(Etcd.bytes(options.basePath() + "/" + service), Etcd.bytes(service), withLease),
                options, what);
        Etcd.await(client.getKVClient().put(Etcd.bytes(nodeKey(service)), Etcd.bytes(metadata), withLease), options, what);
    }

    /** The lease, granted on first use. */
    private synchronized long lease() {
        if (leaseId == 0) {
            leaseId = Etcd.await(client.getLeaseClient().grant(options.leaseTtl().toSeconds()), options,
                    "granting a lease for " + serviceAddress()).getID();
        }
        return leaseId;
    }

    @Override
    public synchronized void unregister(String name) {
        if (services.remove(name) != null && !closed) {
            try {
                // as Go's Unregister: the directory keys put again (on the lease), then the node deleted
                PutOption withLease = PutOption.builder().withLeaseId(lease()).build();
                String what = "unregistering " + name;
                Etcd.await(client.getKVClient().put(Etcd.bytes(options.basePath()), Etcd.bytes("rpcx_path"), withLease), options, what);
                Etcd.await(client.getKVClient().put(Etcd.bytes(options.basePath() + "/" + name), Etcd.bytes(name), withLease),
                        options, what);
                Etcd.await(client.getKVClient().delete(Etcd.bytes(nodeKey(name))), options, what);
            } catch (RpcException e) {
                LOG.log(System.Logger.Level.WARNING, "rpcx: " + e.getMessage() + " (the node expires with its lease)");
            }
        }
    }

    private synchronized void keepAlive() {
        if (closed) {
            return;
        }
        if (leaseId == 0) {
            if (!services.isEmpty()) {
                regrant(); // registrations made while etcd was unreachable
            }
            return;
        }
        try {
            long ttl = Etcd.await(client.getLeaseClient().keepAliveOnce(leaseId), options, "keeping the lease alive").getTTL();
            if (ttl <= 0) {
                regrant();
            }
        } catch (RpcException e) {
            // etcd down, or the lease is gone (etcd lost it, or we were stopped too long): start over when it answers
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: etcd keep-alive of " + serviceAddress() + " failed: " + e.getMessage());
            regrant();
        }
    }

    /**
     * A new lease and every node put again on it (Go re-grants after a lost keep-alive). A node that is still there
     * (the keep-alive failed but etcd kept it) keeps its current value, so a {@code state=inactive} set meanwhile stays.
     */
    private void regrant() {
        leaseId = 0;
        try {
            long lease = lease();
            services.forEach((s, m) -> put(s, current(nodeKey(s)).orElse(m), lease));
            LOG.log(System.Logger.Level.INFO, "rpcx: etcd registration of " + serviceAddress() + " restored on a new lease");
        } catch (RpcException e) {
            leaseId = 0;
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: etcd still unreachable: " + e.getMessage());
        }
    }

    private java.util.Optional<String> current(String key) {
        List<KeyValue> now = Etcd.await(client.getKVClient().get(Etcd.bytes(key)), options, "reading " + key).getKvs();
        return now.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Etcd.text(now.get(0).getValue()));
    }

    /**
     * Every update interval, as Go does: each node's current value read back (so what others changed, such as
     * rpcx-ui's {@code state=inactive}, stays), the metrics set in it when asked for, and put again re-encoded with
     * keys sorted; a node that has vanished is put again with its registered metadata.
     */
    private synchronized void republish() {
        if (closed || leaseId == 0) {
            return;
        }
        Map<String, String> extra = options.metrics() ? metrics.rates() : Map.of();
        try {
            long lease = leaseId;
            PutOption withLease = PutOption.builder().withLeaseId(lease).build();
            for (Map.Entry<String, String> e : services.entrySet()) {
                String key = nodeKey(e.getKey());
                // Go puts blindly after its read; a change made in between (rpcx-ui's state=inactive) would be
                // lost, so the put is conditional on the revision read, and read again when it moved
                for (int attempt = 0; attempt < 3; attempt++) {
                    List<KeyValue> now = Etcd.await(client.getKVClient().get(Etcd.bytes(key)), options, "reading " + key).getKvs();
                    if (now.isEmpty()) {
                        Etcd.await(client.getKVClient().put(Etcd.bytes(key), Etcd.bytes(e.getValue()), withLease), options,
                                "re-putting " + key);
                        break;
                    }
                    String value = RegistryMetrics.merge(Etcd.text(now.get(0).getValue()), extra);
                    boolean written = Etcd.await(client.getKVClient().txn()
                            .If(new Cmp(Etcd.bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(now.get(0).getModRevision())))
                            .Then(Op.put(Etcd.bytes(key), Etcd.bytes(value), withLease)).commit(), options,
                            "re-putting " + key).isSucceeded();
                    if (written) {
                        break;
                    }
                }
            }
        } catch (RpcException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "rpcx: etcd re-put of " + serviceAddress() + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            timer.shutdownNow();
            for (String service : services.keySet()) {
                try {
                    Etcd.await(client.getKVClient().delete(Etcd.bytes(nodeKey(service))), options, "unregistering " + service);
                } catch (RpcException e) {
                    LOG.log(System.Logger.Level.WARNING, "rpcx: " + e.getMessage() + " (the node expires with its lease)");
                }
            }
            services.clear();
            // as Go's Stop: the lease is not revoked; the base and service keys expire with it unless others re-put them
        }
        client.close();
    }
}

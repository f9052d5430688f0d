package rpcx.registry.consul.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.kv.Value;
import org.kiwiproject.consul.model.session.ImmutableSession;
import org.kiwiproject.consul.option.ConsistencyMode;
import org.kiwiproject.consul.option.ImmutablePutOptions;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.kiwiproject.consul.option.QueryOptions;

import rpcx.api.TransportException;
import rpcx.registry.consul.ConsulOptions;

/**
 * Go's libkv Consul store on the kiwi client: the operations rpcx's plugin and discovery use, with libkv's
 * semantics (every write flagged {@code api.LockFlagValue}; a write with a TTL first makes sure the key is held by
 * a session with {@code Behavior=delete} and TTL {@code ttl/2}, and renews it).
 */
final class ConsulKv implements AutoCloseable {
    /** Go's {@code api.LockFlagValue}, the flags of every key libkv writes. */
    static final long LOCK_FLAG = 0x2ddccbc058a50c18L;
    /** libkv's {@code RenewSessionRetryMax}. */
    private static final int RENEW_ATTEMPTS = 5;

    private final ConsulOptions options;
    private final Consul consul;

    ConsulKv(ConsulOptions options) {
        this.options = options;
        long timeout = Math.max(1, options.timeout().toMillis());
        // a blocking query waits up to watchWait plus Consul's jitter (wait/16) before it answers
        long read = timeout + options.watchWait().toMillis() + options.watchWait().toMillis() / 16;
        try {
            this.consul = Consul.builder().withUrl("http://" + options.agent()).withPing(false)
                    .withConnectTimeoutMillis(timeout).withReadTimeoutMillis(read).withWriteTimeoutMillis(timeout).build();
        } catch (RuntimeException e) {
            throw new TransportException("cannot create a Consul client for " + options.agent() + ": " + e.getMessage(), e);
        }
    }

    /** Runs one request, turning the client's failures into rpcx's transport error. */
    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConsulException e) {
            throw new TransportException("Consul at " + options.agent() + ": " + what + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) { // connection refused and timeouts arrive wrapped in other runtime exceptions
            throw new TransportException("Consul at " + options.agent() + ": " + what + " failed: " + e, e);
        }
    }

    /** libkv's {@code Get}: the key read consistently, empty when absent. */
    Optional<Value> get(String key) {
        QueryOptions consistent = ImmutableQueryOptions.builder().consistencyMode(ConsistencyMode.CONSISTENT).build();
        return call("reading " + key, () -> consul.keyValueClient().getValue(key, consistent));
    }

    static String text(Value v) {
        return v.getValueAsString(StandardCharsets.UTF_8).orElse("");
    }

    /**
     * libkv's {@code Put}: with a positive TTL the key is first held by a session (the one already holding it, as
     * Go adopts it, or a new one with {@code Behavior=delete} and TTL {@code ttl/2}, which Consul doubles), the
     * session renewed, then the value written with {@link #LOCK_FLAG}.
     */
    void put(String key, String value, Duration ttl) {
        write(key, value, ttl, -1);
    }

    /**
     * {@link #put}, but when {@code modifyIndex} is not negative the value is written only if the key has not
     * changed since that index (Consul's {@code cas}).
     *
     * @return false when the key changed meanwhile
     */
    boolean write(String key, String value, Duration ttl, long modifyIndex) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (!(ttl.isZero() || ttl.isNegative())) {
            TransportException last = null;
            for (int attempt = 0; attempt < RENEW_ATTEMPTS; attempt++) {
                try {
                    holdWithSession(key, bytes, ttl);
                    last = null;
                    break;
                } catch (TransportException e) {
                    last = e;
                }
            }
            if (last != null) {
                throw new TransportException("cannot set or renew the session of " + key + " (" + last.getMessage() + ")", last);
            }
        }
        ImmutablePutOptions.Builder how = ImmutablePutOptions.builder();
        if (modifyIndex >= 0) {
            how.cas(modifyIndex);
        }
        boolean written = call("writing " + key, () -> consul.keyValueClient().putValue(key, bytes, LOCK_FLAG, how.build()));
        if (!written && modifyIndex < 0) {
            throw new TransportException("Consul at " + options.agent() + " refused to write " + key);
        }
        return written;
    }

    /**
     * libkv's {@code renewSession}. Go takes the lock with an empty value and writes the value after it; this takes
     * it with the value, so watchers never see the node's metadata empty for a moment.
     */
    private void holdWithSession(String key, byte[] value, Duration ttl) {
        String session = get(key).flatMap(Value::getSession).orElse(null);
        if (session == null) {
            String created = call("creating a session for " + key, () -> consul.sessionClient().createSession(
                    ImmutableSession.builder().behavior("delete").ttl(goDuration(ttl.dividedBy(2))).lockDelay("1ms").build())
                    .getId());
            call("acquiring " + key, () -> consul.keyValueClient().putValue(key, value, LOCK_FLAG,
                    ImmutablePutOptions.builder().acquire(created).build()));
            session = created;
        }
        String id = session;
        try {
            call("renewing session " + id, () -> consul.sessionClient().renewSession(id));
        } catch (TransportException e) {
            if (!(e.getCause() instanceof ConsulException ce && ce.getCode() == 404)) {
                throw e;
            }
            // Go's Renew reports nothing for a session that is gone: the next write creates a new one
        }
    }

    /**
     * Replaces the value of an existing key, its flags kept; a plain PUT leaves the lock (the session holding the
     * key) as it is.
     *
     * @return false when the key does not exist
     */
    boolean overwrite(String key, String value) {
        Optional<Value> old = get(key);
        if (old.isEmpty()) {
            return false;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        long flags = old.get().getFlags();
        boolean written = call("writing " + key, () -> consul.keyValueClient().putValue(key, bytes, flags,
                ImmutablePutOptions.builder().build()));
        if (!written) {
            throw new TransportException("Consul at " + options.agent() + " refused to write " + key);
        }
        return true;
    }

    /** libkv's {@code Delete}: absent keys are left alone. */
    void delete(String key) {
        if (get(key).isPresent()) {
            call("deleting " + key, () -> {
                consul.keyValueClient().deleteKey(key);
                return null;
            });
        }
    }

    /**
     * The keys under a prefix: at once when {@code index} is null, else a blocking query that answers when the
     * prefix's index passes {@code index} or the wait ends.
     */
    ConsulResponse<List<Value>> list(String prefix, BigInteger index) {
        QueryOptions query = index == null ? QueryOptions.BLANK
                : ImmutableQueryOptions.builder().wait(goDuration(options.watchWait())).index(index).build();
        return call("listing " + prefix, () -> consul.keyValueClient().getConsulResponseWithValues(prefix, query));
    }

    /** {@code d} as Go's {@code time.Duration.String()} writes it ({@code 1m0s}, {@code 30s}, {@code 1.5ms}). */
    static String goDuration(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        String sign = ns < 0 ? "-" : "";
        long u = Math.abs(ns);
        if (u < 1_000) {
            return sign + u + "ns";
        }
        if (u < 1_000_000) {
            return sign + decimal(u, 1_000) + "\u00b5s";
        }
        if (u < 1_000_000_000) {
            return sign + decimal(u, 1_000_000) + "ms";
        }
        long hours = u / 3_600_000_000_000L;
        u %= 3_600_000_000_000L;
        long minutes = u / 60_000_000_000L;
        u %= 60_000_000_000L;
        String seconds = decimal(u, 1_000_000_000) + "s";
        if (hours > 0) {
            return sign + hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? sign + minutes + "m" + seconds : sign + seconds;
    }

    /** {@code v / unit} with the fraction's trailing zeros dropped. */
    private static String decimal(long v, long unit) {
        long whole = v / unit;
        long fraction = v % unit;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        String digits = Long.toString(unit + fraction).substring(1).replaceAll("0+$", "");
        return whole + "." + digits;
    }

    @Override
    public void close() {
        consul.destroy();
    }
}

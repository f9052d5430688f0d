package rpcx.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.Codec;
import rpcx.api.spi.Compressor;

/**
 * Client settings: Go's {@code client.Option}. {@link #defaults()} equals Go's {@code DefaultOption}: 3 retries,
 * 1 s connect timeout, msgpack, no compression, 10 ms backup latency, no heartbeat (30 s max wait when on),
 * no breaker, no retry interval.
 *
 * @param group               only servers whose {@code group} metadata contains this (empty = any)
 * @param retries             extra attempts for Failover/Failtry (total attempts = retries + 1)
 * @param retryInterval       pause between attempts
 * @param connectTimeout      dial timeout
 * @param idleTimeout         close a connection that received nothing for this long; zero = never
 * @param serializeType       payload codec of calls (SerializeType id)
 * @param compressType        compress args over 1024 bytes with this CompressType (0 = never)
 * @param backupLatency       Failbackup: when to send the backup request
 * @param heartbeat           send heartbeats on every connection
 * @param heartbeatInterval   pause between heartbeats
 * @param maxWaitForHeartbeat close the connection when a heartbeat is not answered within this
 * @param maxMessageLength    largest accepted response frame and inflated payload
 * @param breakerFactory      creates one circuit breaker per server (Go's {@code GenBreaker}); null = none
 * @param codecs              codecs and compressors given in code (Go's {@code share.Codecs[5] = ...}); they win
 *                            over the ones found on the module path for the same id
 */
public record ClientOptions(String group, int retries, Duration retryInterval, Duration connectTimeout,
                            Duration idleTimeout, int serializeType, int compressType, Duration backupLatency,
                            boolean heartbeat, Duration heartbeatInterval, Duration maxWaitForHeartbeat,
                            int maxMessageLength, Supplier<CircuitBreaker> breakerFactory, Codecs codecs) {
    /** Validates the values. */
    public ClientOptions {
        group = group == null ? "" : group;
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(backupLatency, "backupLatency");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(maxWaitForHeartbeat, "maxWaitForHeartbeat");
        if (serializeType < 0 || serializeType > SerializeType.MAX) {
            throw new IllegalArgumentException("serializeType must be 0..15");
        }
        if (compressType < 0 || compressType > CompressType.MAX) {
            throw new IllegalArgumentException("compressType must be 0..7");
        }
        new FrameLimits(maxMessageLength, FrameLimits.DEFAULT_MAX_METADATA_ENTRIES);
        codecs = codecs == null ? Codecs.none() : codecs;
    }

    /** Go's {@code DefaultOption}. */
    public static ClientOptions defaults() {
        return new ClientOptions("", 3, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SerializeType.MSGPACK,
                CompressType.NONE, Duration.ofMillis(10), false, Duration.ZERO, Duration.ofSeconds(30),
                FrameLimits.DEFAULT_MAX_MESSAGE_LENGTH, null, Codecs.none());
    }

    /** With a group filter. */
    public ClientOptions withGroup(String g) {
        return new ClientOptions(g, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With a number of retries. */
    public ClientOptions withRetries(int r) {
        return new ClientOptions(group, r, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With a pause between attempts. */
    public ClientOptions withRetryInterval(Duration d) {
        return new ClientOptions(group, retries, d, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With a dial timeout. */
    public ClientOptions withConnectTimeout(Duration d) {
        return new ClientOptions(group, retries, retryInterval, d, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With an idle timeout. */
    public ClientOptions withIdleTimeout(Duration d) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, d, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With another payload codec (e.g. {@link SerializeType#JSON}). */
    public ClientOptions withSerializeType(int t) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, t, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With compression of large args. */
    public ClientOptions withCompressType(int t) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, t,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With a Failbackup latency. */
    public ClientOptions withBackupLatency(Duration d) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                d, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With heartbeats every {@code interval} (Go: {@code Heartbeat=true, HeartbeatInterval}). */
    public ClientOptions withHeartbeat(Duration interval) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, true, interval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs);
    }

    /** With the longest wait for a heartbeat echo. */
    public ClientOptions withMaxWaitForHeartbeat(Duration d) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, d, maxMessageLength, breakerFactory, codecs);
    }

    /** With a maximum response size. */
    public ClientOptions withMaxMessageLength(int max) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, max, breakerFactory, codecs);
    }

    /** With a circuit breaker per server (Go's {@code GenBreaker}). */
    public ClientOptions withBreaker(Supplier<CircuitBreaker> factory) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, factory, codecs);
    }

    /** With the codec and compressor overrides given in code. */
    public ClientOptions withCodecs(Codecs c) {
        return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType,
                backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, c);
    }

    /**
     * With a codec for a SerializeType given in code (Go's {@code share.Codecs[id] = codec}); it wins over a
     * provider of the same id on the module path. Select it for calls with {@link #withSerializeType(int)}.
     */
    public ClientOptions withCodec(int serializeType, Codec codec) {
        return withCodecs(codecs.with(serializeType, codec));
    }

    /** With a compressor for a CompressType given in code; it wins over a provider of the same id. */
    public ClientOptions withCompressor(int compressType, Compressor compressor) {
        return withCodecs(codecs.withCompressor(compressType, compressor));
    }
}

package rpcx.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import rpcx.api.protocol.CompressType;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.CircuitBreaker;
import rpcx.api.spi.Codec;
import rpcx.api.spi.Compressor;

/**
 * Client settings: Go's {@code client.Option}. {@link #defaults()} equals Go's {@code DefaultOption}: 3 retries,
 * 1 s connect timeout, msgpack, no compression, 10 ms backup latency, no heartbeat (30 s max wait when on),
 * no breaker, no retry interval, not sticky. Start from it and change what you need with the {@code with...}
 * methods.
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
 * @param sticky              keep calling the server last selected until it fails (Go's {@code Sticky})
 * @param breakerCountsCalls  feed breakers with call results (transport errors and timeouts fail, replies
 *                            succeed) as well as dial failures; false = Go's behaviour, dial failures only
 * @param reconnectBackoff    after a failed dial, wait this long before dialling that server again (doubling
 *                            per further failure up to {@code reconnectBackoffMax}); zero = re-dial on every
 *                            call, as Go does
 * @param reconnectBackoffMax the longest reconnect backoff
 * @param plugins             client plugins, called in this order (Go's {@code PluginContainer})
 * @param serverMessageHandler receives messages the server pushes (Go's bidirectional client); null = drop them
 * @param tls                 dial {@code tcp} servers with TLS using this context (Go's {@code Option.TLSConfig}),
 *                            verifying the server's certificate and host name; null = plaintext
 * @param errorParser         turns an error reply into the exception a call throws (Go's
 *                            {@code ClientErrorFunc(res, e)}); null = {@link ServiceException} with the text
 * @param callbackExecutor    completes asynchronous calls (decodes replies, runs continuations); null = a shared
 *                            pool, so continuations never run on I/O threads; see {@link #withCallbackExecutor}
 * @param transportOptions    settings of particular transports, one object per class (e.g. the {@code kcp}
 *                            network's {@code KcpOptions}: Go's {@code Option.Block}); see
 *                            {@link #withTransportOption}
 */
public record ClientOptions(String group, int retries, Duration retryInterval, Duration connectTimeout,
                            Duration idleTimeout, int serializeType, int compressType, Duration backupLatency,
                            boolean heartbeat, Duration heartbeatInterval, Duration maxWaitForHeartbeat,
                            int maxMessageLength, Supplier<CircuitBreaker> breakerFactory, Codecs codecs,
                            boolean sticky, boolean breakerCountsCalls, Duration reconnectBackoff,
                            Duration reconnectBackoffMax, List<ClientPlugin> plugins,
                            Consumer<Message> serverMessageHandler, SSLContext tls,
                            java.util.function.BiFunction<Message, String, ? extends RpcException> errorParser,
                            java.util.concurrent.Executor callbackExecutor, List<Object> transportOptions) {
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
        Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
        Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
        if (serializeType < 0 || serializeType > SerializeType.MAX) {
            throw new IllegalArgumentException("serializeType must be 0..15");
        }
        if (compressType < 0 || compressType > CompressType.MAX) {
            throw new IllegalArgumentException("compressType must be 0..7");
        }
        if (reconnectBackoff.isNegative() || reconnectBackoffMax.compareTo(reconnectBackoff) < 0) {
            throw new IllegalArgumentException("reconnectBackoff must be >= 0 and <= reconnectBackoffMax");
        }
        new FrameLimits(maxMessageLength, FrameLimits.DEFAULT_MAX_METADATA_ENTRIES);
        codecs = codecs == null ? Codecs.none() : codecs;
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
        transportOptions = transportOptions == null ? List.of() : List.copyOf(transportOptions);
    }

    /** The options without transport-specific settings (the constructor of earlier versions). */
    public ClientOptions(String group, int retries, Duration retryInterval, Duration connectTimeout,
                         Duration idleTimeout, int serializeType, int compressType, Duration backupLatency,
                         boolean heartbeat, Duration heartbeatInterval, Duration maxWaitForHeartbeat,
                         int maxMessageLength, Supplier<CircuitBreaker> breakerFactory, Codecs codecs,
                         boolean sticky, boolean breakerCountsCalls, Duration reconnectBackoff,
                         Duration reconnectBackoffMax, List<ClientPlugin> plugins,
                         Consumer<Message> serverMessageHandler, SSLContext tls,
                         java.util.function.BiFunction<Message, String, ? extends RpcException> errorParser,
                         java.util.concurrent.Executor callbackExecutor) {
        this(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType, compressType, backupLatency,
                heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength, breakerFactory, codecs, sticky,
                breakerCountsCalls, reconnectBackoff, reconnectBackoffMax, plugins, serverMessageHandler, tls,
                errorParser, callbackExecutor, List.of());
    }

    /**
     * Go's {@code DefaultOption}, plus what Go does not have: breakers (when set) count call results, and a failed
     * dial is retried after 100 ms, doubling up to 5 s.
     */
    public static ClientOptions defaults() {
        return new ClientOptions("", 3, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, SerializeType.MSGPACK,
                CompressType.NONE, Duration.ofMillis(10), false, Duration.ZERO, Duration.ofSeconds(30),
                FrameLimits.DEFAULT_MAX_MESSAGE_LENGTH, null, Codecs.none(), false, true, Duration.ofMillis(100),
                Duration.ofSeconds(5), List.of(), null, null, null, null, List.of());
    }

    /** With a group filter. */
    public ClientOptions withGroup(String g) {
        return with(m -> m.group = g);
    }

    /** With a number of retries. */
    public ClientOptions withRetries(int r) {
        return with(m -> m.retries = r);
    }

    /** With a pause between attempts. */
    public ClientOptions withRetryInterval(Duration d) {
        return with(m -> m.retryInterval = d);
    }

    /** With a dial timeout. */
    public ClientOptions withConnectTimeout(Duration d) {
        return with(m -> m.connectTimeout = d);
    }

    /** With an idle timeout. */
    public ClientOptions withIdleTimeout(Duration d) {
        return with(m -> m.idleTimeout = d);
    }

    /** With another payload codec (e.g. {@link SerializeType#JSON}). */
    public ClientOptions withSerializeType(int t) {
        return with(m -> m.serializeType = t);
    }

    /** With compression of large args. */
    public ClientOptions withCompressType(int t) {
        return with(m -> m.compressType = t);
    }

    /** With a Failbackup latency. */
    public ClientOptions withBackupLatency(Duration d) {
        return with(m -> m.backupLatency = d);
    }

    /** With heartbeats every {@code interval} (Go: {@code Heartbeat=true, HeartbeatInterval}). */
    public ClientOptions withHeartbeat(Duration interval) {
        return with(m -> {
            m.heartbeat = true;
            m.heartbeatInterval = interval;
        });
    }

    /** With the longest wait for a heartbeat echo. */
    public ClientOptions withMaxWaitForHeartbeat(Duration d) {
        return with(m -> m.maxWaitForHeartbeat = d);
    }

    /** With a maximum response size. */
    public ClientOptions withMaxMessageLength(int max) {
        return with(m -> m.maxMessageLength = max);
    }

    /** With a circuit breaker per server (Go's {@code GenBreaker}); see {@link CircuitBreakers}. */
    public ClientOptions withBreaker(Supplier<CircuitBreaker> factory) {
        return with(m -> m.breakerFactory = factory);
    }

    /** With the codec and compressor overrides given in code. */
    public ClientOptions withCodecs(Codecs c) {
        return with(m -> m.codecs = c);
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

    /** Sticky or not (Go's {@code Sticky}): keep calling the last selected server until a call to it fails. */
    public ClientOptions withSticky(boolean s) {
        return with(m -> m.sticky = s);
    }

    /** Whether breakers count call results (default) or, as in Go, only dial failures ({@code false}). */
    public ClientOptions withBreakerCountingCalls(boolean countCalls) {
        return with(m -> m.breakerCountsCalls = countCalls);
    }

    /** With the reconnect backoff after failed dials (zero initial = re-dial on every call, as Go). */
    public ClientOptions withReconnectBackoff(Duration initial, Duration max) {
        return with(m -> {
            m.reconnectBackoff = initial;
            m.reconnectBackoffMax = max;
        });
    }

    /** With one more client plugin, called after those already added. */
    public ClientOptions withPlugin(ClientPlugin plugin) {
        Objects.requireNonNull(plugin, "plugin");
        return with(m -> {
            List<ClientPlugin> p = new ArrayList<>(m.plugins);
            p.add(plugin);
            m.plugins = p;
        });
    }

    /**
     * With a handler for the messages the server pushes (Go's {@code NewBidirectionalXClient} channel): oneway
     * request frames the server sends on its own. The handler runs off the I/O threads and must not block long.
     */
    public ClientOptions withServerMessageHandler(Consumer<Message> handler) {
        return with(m -> m.serverMessageHandler = handler);
    }

    /**
     * With TLS (Go's {@code client.Option.TLSConfig}): connections to {@code tcp} servers start with a TLS handshake,
     * which must finish within the connect timeout; the server's certificate is checked against the context's trust
     * material and the host name of the address (SNI is sent for host names). Null turns TLS off.
     */
    public ClientOptions withTls(SSLContext context) {
        return with(m -> m.tls = context);
    }

    /**
     * With a parser of error replies (Go's {@code client.ClientErrorFunc}): given the reply and its
     * {@code __rpcx_error__} text, returns the exception the call throws — e.g. to rebuild typed business errors a
     * server's {@code errorFunction} encoded. Server shutdown and auth refusals keep their own types.
     */
    public ClientOptions withErrorParser(java.util.function.BiFunction<Message, String, ? extends RpcException> parser) {
        return with(m -> m.errorParser = parser);
    }

    /**
     * With the executor that completes asynchronous calls: it decodes each reply and runs the continuations
     * attached to the returned futures. Null (the default) is a shared pool of daemon threads, so continuations
     * never run on I/O threads. {@code Runnable::run} completes calls on the connection's I/O thread, saving a
     * thread hand-off per call (what gRPC-java's {@code directExecutor()} does): use it only when every
     * continuation is short and never blocks, or the connection stalls while it runs.
     */
    public ClientOptions withCallbackExecutor(java.util.concurrent.Executor executor) {
        return with(m -> m.callbackExecutor = executor);
    }

    /**
     * With a setting of a particular transport, replacing an earlier one of the same class; transports that do not
     * know its class ignore it. E.g. {@code withTransportOption(KcpOptions.of(KcpCrypt.aes(key)))} to dial
     * {@code kcp@} servers (Go's {@code Option.Block}).
     */
    public ClientOptions withTransportOption(Object option) {
        Objects.requireNonNull(option, "option");
        return with(m -> m.transportOptions = rpcx.api.internal.OptionLists.replacing(m.transportOptions, option));
    }

    /**
     * With this TCP keep-alive period for the connections (Go's {@code Option.TCPKeepAlivePeriod}; default one
     * minute): idle time before the first probe and time between probes. Zero leaves the system's values.
     *
     * @throws IllegalArgumentException for a negative period or one below a second
     */
    public ClientOptions withTcpKeepAlivePeriod(Duration period) {
        return withTransportOption(new rpcx.api.spi.TcpKeepAlive(period));
    }

    /** The executor completing asynchronous calls: the given one, or the shared callback pool. */
    java.util.concurrent.Executor callbacks() {
        return callbackExecutor != null ? callbackExecutor : rpcx.api.internal.Executors2.callbacks();
    }

    private ClientOptions with(Consumer<Mutable> change) {
        Mutable m = new Mutable(this);
        change.accept(m);
        return m.build();
    }

    /** A copy being changed by one {@code with...} method. */
    private static final class Mutable {
        String group;
        int retries;
        Duration retryInterval;
        Duration connectTimeout;
        Duration idleTimeout;
        int serializeType;
        int compressType;
        Duration backupLatency;
        boolean heartbeat;
        Duration heartbeatInterval;
        Duration maxWaitForHeartbeat;
        int maxMessageLength;
        Supplier<CircuitBreaker> breakerFactory;
        Codecs codecs;
        boolean sticky;
        boolean breakerCountsCalls;
        Duration reconnectBackoff;
        Duration reconnectBackoffMax;
        List<ClientPlugin> plugins;
        Consumer<Message> serverMessageHandler;
        SSLContext tls;
        java.util.function.BiFunction<Message, String, ? extends RpcException> errorParser;
        java.util.concurrent.Executor callbackExecutor;
        List<Object> transportOptions;

        Mutable(ClientOptions o) {
            group = o.group;
            retries = o.retries;
            retryInterval = o.retryInterval;
            connectTimeout = o.connectTimeout;
            idleTimeout = o.idleTimeout;
            serializeType = o.serializeType;
            compressType = o.compressType;
            backupLatency = o.backupLatency;
            heartbeat = o.heartbeat;
            heartbeatInterval = o.heartbeatInterval;
            maxWaitForHeartbeat = o.maxWaitForHeartbeat;
            maxMessageLength = o.maxMessageLength;
            breakerFactory = o.breakerFactory;
            codecs = o.codecs;
            sticky = o.sticky;
            breakerCountsCalls = o.breakerCountsCalls;
            reconnectBackoff = o.reconnectBackoff;
            reconnectBackoffMax = o.reconnectBackoffMax;
            plugins = o.plugins;
            serverMessageHandler = o.serverMessageHandler;
            tls = o.tls;
            errorParser = o.errorParser;
            callbackExecutor = o.callbackExecutor;
            transportOptions = o.transportOptions;
        }

        ClientOptions build() {
            return new ClientOptions(group, retries, retryInterval, connectTimeout, idleTimeout, serializeType,
                    compressType, backupLatency, heartbeat, heartbeatInterval, maxWaitForHeartbeat, maxMessageLength,
                    breakerFactory, codecs, sticky, breakerCountsCalls, reconnectBackoff, reconnectBackoffMax, plugins,
                    serverMessageHandler, tls, errorParser, callbackExecutor, transportOptions);
        }
    }
}

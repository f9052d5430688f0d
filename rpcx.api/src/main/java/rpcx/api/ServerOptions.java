package rpcx.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.HttpGateway;
import rpcx.api.spi.Codec;
import rpcx.api.spi.Compressor;

/**
 * Server settings (Go's {@code server.With...} options). Start from {@link #defaults()} and change what you need
 * with the {@code with...} methods.
 *
 * @param readTimeout      close a connection idle for this long ({@code WithReadTimeout}); zero = never, Go's default
 * @param writeTimeout     fail a connection whose write takes longer ({@code WithWriteTimeout}); zero = never
 * @param frameTimeout     close a connection that started a frame and did not finish it within this (slow-loris guard)
 * @param maxMessageLength largest accepted frame and inflated payload (Go: unlimited; here 8 MiB by default)
 * @param executor         where service methods run; null = a virtual thread per call on Java 21+, else a cached pool
 * @param ioThreads        transport I/O threads; 0 = the transport's default
 * @param maxPendingPerConnection requests of one connection that may be running or waiting for their reply to be
 *                         written before the server stops reading from that connection (backpressure; reading
 *                         resumes below half of it)
 * @param codecs           codecs and compressors given in code (Go's {@code share.Codecs[5] = ...}); they win over
 *                         the ones found on the module path for the same id
 * @param tls              accept TLS connections only, with this context (Go's {@code WithTLSConfig}); null =
 *                         plaintext. The HTTP gateway and JSON-RPC are then served over TLS too (HTTPS), as in Go
 * @param tlsClientAuth    with {@code tls}: require and verify a client certificate (mutual TLS); ignored without
 *                         {@code tls}
 * @param httpGateway      serve the HTTP gateway on the same {@code tcp} port (Go: on unless
 *                         {@code DisableHTTPGateway})
 * @param jsonRpc          serve JSON-RPC 2.0 on the same {@code tcp} port (Go: on unless {@code DisableJSONRPC})
 * @param cors             CORS for the HTTP gateway and JSON-RPC (Go's {@code SetCORS}); null = off
 * @param transportOptions settings of particular transports, one object per class (e.g. the {@code kcp} network's
 *                         {@code KcpOptions}: Go's {@code server.WithBlockCrypt}); see {@link #withTransportOption}
 */
public record ServerOptions(Duration readTimeout, Duration writeTimeout, Duration frameTimeout, int maxMessageLength,
                            Executor executor, int ioThreads, int maxPendingPerConnection, Codecs codecs,
                            SSLContext tls, boolean tlsClientAuth, boolean httpGateway, boolean jsonRpc,
                            HttpGateway.Cors cors, List<Object> transportOptions) {
    /** Validates the values. */
    public ServerOptions {
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(frameTimeout, "frameTimeout");
        new FrameLimits(maxMessageLength, FrameLimits.DEFAULT_MAX_METADATA_ENTRIES); // validates
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0");
        }
        if (maxPendingPerConnection < 1) {
            throw new IllegalArgumentException("maxPendingPerConnection must be >= 1");
        }
        codecs = codecs == null ? Codecs.none() : codecs;
        transportOptions = transportOptions == null ? List.of() : List.copyOf(transportOptions);
    }

    /** The options without transport-specific settings (the constructor of earlier versions). */
    public ServerOptions(Duration readTimeout, Duration writeTimeout, Duration frameTimeout, int maxMessageLength,
                         Executor executor, int ioThreads, int maxPendingPerConnection, Codecs codecs, SSLContext tls,
                         boolean tlsClientAuth, boolean httpGateway, boolean jsonRpc, HttpGateway.Cors cors) {
        this(readTimeout, writeTimeout, frameTimeout, maxMessageLength, executor, ioThreads, maxPendingPerConnection,
                codecs, tls, tlsClientAuth, httpGateway, jsonRpc, cors, List.of());
    }

    /**
     * No idle or write timeout, 30 s frame timeout, 8 MiB messages, default executor and I/O threads, 4096
     * pending requests per connection, no TLS, HTTP gateway and JSON-RPC on (as Go), no CORS.
     */
    public static ServerOptions defaults() {
        return new ServerOptions(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30),
                FrameLimits.DEFAULT_MAX_MESSAGE_LENGTH, null, 0, 4096, Codecs.none(), null, false, true, true, null,
                List.of());
    }

    /** With an idle read timeout (Go's {@code WithReadTimeout}). */
    public ServerOptions withReadTimeout(Duration d) {
        return with(m -> m.readTimeout = d);
    }

    /** With a write timeout (Go's {@code WithWriteTimeout}). */
    public ServerOptions withWriteTimeout(Duration d) {
        return with(m -> m.writeTimeout = d);
    }

    /** With a frame-completion timeout. */
    public ServerOptions withFrameTimeout(Duration d) {
        return with(m -> m.frameTimeout = d);
    }

    /** With a maximum message size (Go's {@code WithMaxMessageLength}). */
    public ServerOptions withMaxMessageLength(int max) {
        return with(m -> m.maxMessageLength = max);
    }

    /** With the executor service methods run on (the caller keeps ownership: the server does not shut it down). */
    public ServerOptions withExecutor(Executor e) {
        return with(m -> m.executor = e);
    }

    /** With a number of transport I/O threads. */
    public ServerOptions withIoThreads(int n) {
        return with(m -> m.ioThreads = n);
    }

    /** With another backpressure threshold per connection. */
    public ServerOptions withMaxPendingPerConnection(int n) {
        return with(m -> m.maxPendingPerConnection = n);
    }

    /** With the codec and compressor overrides given in code. */
    public ServerOptions withCodecs(Codecs c) {
        return with(m -> m.codecs = c);
    }

    /**
     * With a codec for a SerializeType given in code (Go's {@code share.Codecs[id] = codec}); it wins over a
     * provider of the same id on the module path.
     */
    public ServerOptions withCodec(int serializeType, Codec codec) {
        return withCodecs(codecs.with(serializeType, codec));
    }

    /** With a compressor for a CompressType given in code; it wins over a provider of the same id. */
    public ServerOptions withCompressor(int compressType, Compressor compressor) {
        return withCodecs(codecs.withCompressor(compressType, compressor));
    }

    /**
     * With TLS (Go's {@code server.WithTLSConfig}): every connection must start with a TLS handshake; plaintext
     * rpcx and HTTP are refused. The HTTP gateway and JSON-RPC are then HTTPS. Null turns TLS off. A Go client
     * connects with {@code client.Option.TLSConfig}.
     */
    public ServerOptions withTls(SSLContext context) {
        return with(m -> m.tls = context);
    }

    /** With or without mutual TLS: require and verify a client certificate (takes effect with {@link #withTls}). */
    public ServerOptions withTlsClientAuth(boolean require) {
        return with(m -> m.tlsClientAuth = require);
    }

    /** With the HTTP gateway on or off (Go's {@code DisableHTTPGateway}). */
    public ServerOptions withHttpGateway(boolean on) {
        return with(m -> m.httpGateway = on);
    }

    /** With JSON-RPC 2.0 on or off (Go's {@code DisableJSONRPC}). */
    public ServerOptions withJsonRpc(boolean on) {
        return with(m -> m.jsonRpc = on);
    }

    /** With CORS for the HTTP protocols (Go's {@code SetCORS}); null turns it off. */
    public ServerOptions withCors(HttpGateway.Cors c) {
        return with(m -> m.cors = c);
    }

    /**
     * With a setting of a particular transport, replacing an earlier one of the same class; transports that do not
     * know its class ignore it. E.g. {@code withTransportOption(KcpOptions.of(KcpCrypt.aes(key)))} for the
     * {@code kcp} network (Go's {@code server.WithBlockCrypt}).
     */
    public ServerOptions withTransportOption(Object option) {
        java.util.Objects.requireNonNull(option, "option");
        return with(m -> m.transportOptions = rpcx.api.internal.OptionLists.replacing(m.transportOptions, option));
    }

    /** The frame limits these options imply. */
    public FrameLimits frameLimits() {
        return FrameLimits.DEFAULT.withMaxMessageLength(maxMessageLength);
    }

    private ServerOptions with(Consumer<Mutable> change) {
        Mutable m = new Mutable(this);
        change.accept(m);
        return m.build();
    }

    /** A copy being changed by one {@code with...} method. */
    private static final class Mutable {
        Duration readTimeout;
        Duration writeTimeout;
        Duration frameTimeout;
        int maxMessageLength;
        Executor executor;
        int ioThreads;
        int maxPendingPerConnection;
        Codecs codecs;
        SSLContext tls;
        boolean tlsClientAuth;
        boolean httpGateway;
        boolean jsonRpc;
        HttpGateway.Cors cors;
        List<Object> transportOptions;

        Mutable(ServerOptions o) {
            readTimeout = o.readTimeout;
            writeTimeout = o.writeTimeout;
            frameTimeout = o.frameTimeout;
            maxMessageLength = o.maxMessageLength;
            executor = o.executor;
            ioThreads = o.ioThreads;
            maxPendingPerConnection = o.maxPendingPerConnection;
            codecs = o.codecs;
            tls = o.tls;
            tlsClientAuth = o.tlsClientAuth;
            httpGateway = o.httpGateway;
            jsonRpc = o.jsonRpc;
            cors = o.cors;
            transportOptions = o.transportOptions;
        }

        ServerOptions build() {
            return new ServerOptions(readTimeout, writeTimeout, frameTimeout, maxMessageLength, executor, ioThreads,
                    maxPendingPerConnection, codecs, tls, tlsClientAuth, httpGateway, jsonRpc, cors, transportOptions);
        }
    }
}

package rpcx.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import rpcx.api.internal.OptionLists;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.HttpGateway;

/**
 * How a transport treats its connections.
 *
 * <p><b>One port, several protocols.</b> A transport that can (the {@code tcp}, {@code tcp4} and {@code tcp6}
 * networks of {@code rpcx.transport.tcp}, like Go's cmux) looks at the first bytes of every accepted connection:
 * an rpcx frame, a TLS handshake when {@link #serverTls} is set, or an HTTP/1 request when {@link #httpGateway}
 * or {@link #jsonRpc} is on. The {@link #DEFAULT} has both HTTP protocols on, as Go's server; the six-argument
 * constructor of earlier versions keeps its meaning: plain rpcx frames only (no TLS, no HTTP).
 *
 * @param limits            frame bounds checked by the decoder (an HTTP request body is bounded by
 *                          {@link FrameLimits#maxMessageLength()} too)
 * @param readIdleTimeout   close a connection that received nothing for this long; zero = never (Go's default)
 * @param writeTimeout      fail a connection whose write does not complete within this; zero = never
 * @param frameTimeout      close a connection that started a frame (or an HTTP request) and did not finish it within
 *                          this; zero = never
 * @param connectTimeout    client dial timeout (including the TLS handshake when {@link #clientTls} is set, as Go's
 *                          {@code tls.DialWithDialer})
 * @param ioThreads         I/O threads for a server transport; 0 lets the transport choose
 * @param serverTls         server side: accept only TLS connections, with this context (Go's
 *                          {@code server.WithTLSConfig}); null = plaintext. Plaintext connections are refused when set
 * @param tlsClientAuth     server side with {@code serverTls}: require a client certificate (mutual TLS; Go's
 *                          {@code tls.Config.ClientAuth = RequireAndVerifyClientCert}); ignored without serverTls
 * @param clientTls         client side: dial with TLS using this context (Go's {@code client.Option.TLSConfig}),
 *                          verifying the server's host name; null = plaintext
 * @param httpGateway       server side: serve the HTTP gateway ("HTTP invoke", {@code X-RPCX-*} headers) on the same
 *                          port (Go: on unless {@code DisableHTTPGateway})
 * @param jsonRpc           server side: serve JSON-RPC 2.0 requests ({@code X-JSONRPC-2.0: true}) on the same port
 *                          (Go: on unless {@code DisableJSONRPC})
 * @param cors              CORS for the HTTP protocols; null = off (Go: off unless {@code SetCORS})
 * @param options           settings of particular transports, at most one object per class (e.g. the KCP module's
 *                          {@code KcpOptions}, as Go's {@code server.WithBlockCrypt} / {@code client.Option.Block});
 *                          a transport reads the class it knows with {@link #option} and ignores the rest
 */
public record TransportConfig(FrameLimits limits, Duration readIdleTimeout, Duration writeTimeout,
                              Duration frameTimeout, Duration connectTimeout, int ioThreads,
                              SSLContext serverTls, boolean tlsClientAuth, SSLContext clientTls,
                              boolean httpGateway, boolean jsonRpc, HttpGateway.Cors cors, List<Object> options) {
    /**
     * Defaults: 8 MiB frames, no idle timeout, no write timeout, 30 s to finish a started frame, 1 s connect, no
     * TLS, HTTP gateway and JSON-RPC on, no CORS.
     */
    public static final TransportConfig DEFAULT = new TransportConfig(FrameLimits.DEFAULT, Duration.ZERO, Duration.ZERO,
            Duration.ofSeconds(30), Duration.ofSeconds(1), 0, null, false, null, true, true, null, List.of());

    /** Validates the values. */
    public TransportConfig {
        Objects.requireNonNull(limits, "limits");
        for (Duration d : new Duration[] {readIdleTimeout, writeTimeout, frameTimeout, connectTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("timeouts must be zero or positive");
            }
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0");
        }
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** The configuration without transport-specific options (the constructor of earlier versions). */
    public TransportConfig(FrameLimits limits, Duration readIdleTimeout, Duration writeTimeout, Duration frameTimeout,
                           Duration connectTimeout, int ioThreads, SSLContext serverTls, boolean tlsClientAuth,
                           SSLContext clientTls, boolean httpGateway, boolean jsonRpc, HttpGateway.Cors cors) {
        this(limits, readIdleTimeout, writeTimeout, frameTimeout, connectTimeout, ioThreads, serverTls, tlsClientAuth,
                clientTls, httpGateway, jsonRpc, cors, List.of());
    }

    /**
     * A plain rpcx configuration, as before TLS and the HTTP protocols existed: no TLS, no HTTP gateway, no
     * JSON-RPC, no CORS.
     */
    public TransportConfig(FrameLimits limits, Duration readIdleTimeout, Duration writeTimeout,
                           Duration frameTimeout, Duration connectTimeout, int ioThreads) {
        this(limits, readIdleTimeout, writeTimeout, frameTimeout, connectTimeout, ioThreads, null, false, null,
                false, false, null, List.of());
    }

    /** A copy with another read idle timeout (zero = never). */
    public TransportConfig withReadIdleTimeout(Duration timeout) {
        return new TransportConfig(limits, timeout, writeTimeout, frameTimeout, connectTimeout, ioThreads,
                serverTls, tlsClientAuth, clientTls, httpGateway, jsonRpc, cors, options);
    }

    /** A copy with another connect timeout. */
    public TransportConfig withConnectTimeout(Duration timeout) {
        return new TransportConfig(limits, readIdleTimeout, writeTimeout, frameTimeout, timeout, ioThreads,
                serverTls, tlsClientAuth, clientTls, httpGateway, jsonRpc, cors, options);
    }

    /** A copy whose server side accepts TLS only, with this context (null = plaintext); client auth as given. */
    public TransportConfig withServerTls(SSLContext context, boolean requireClientCertificate) {
        return new TransportConfig(limits, readIdleTimeout, writeTimeout, frameTimeout, connectTimeout, ioThreads,
                context, requireClientCertificate, clientTls, httpGateway, jsonRpc, cors, options);
    }

    /** A copy whose client side dials with TLS using this context (null = plaintext). */
    public TransportConfig withClientTls(SSLContext context) {
        return new TransportConfig(limits, readIdleTimeout, writeTimeout, frameTimeout, connectTimeout, ioThreads,
                serverTls, tlsClientAuth, context, httpGateway, jsonRpc, cors, options);
    }

    /** A copy with the HTTP gateway, JSON-RPC and CORS switches set. */
    public TransportConfig withHttp(boolean gateway, boolean jsonRpc2, HttpGateway.Cors corsOptions) {
        return new TransportConfig(limits, readIdleTimeout, writeTimeout, frameTimeout, connectTimeout, ioThreads,
                serverTls, tlsClientAuth, clientTls, gateway, jsonRpc2, corsOptions, options);
    }

    /**
     * A copy with a transport-specific option, replacing an earlier one of the same class.
     *
     * @param option e.g. the KCP module's {@code KcpOptions}
     * @return the copy
     */
    public TransportConfig withOption(Object option) {
        Objects.requireNonNull(option, "option");
        return new TransportConfig(limits, readIdleTimeout, writeTimeout, frameTimeout, connectTimeout, ioThreads,
                serverTls, tlsClientAuth, clientTls, httpGateway, jsonRpc, cors, OptionLists.replacing(options, option));
    }

    /**
     * The transport-specific option of this class, if given.
     *
     * @param type the option's class
     * @param <T>  its type
     * @return the option
     */
    public <T> Optional<T> option(Class<T> type) {
        for (Object o : options) {
            if (type.isInstance(o)) {
                return Optional.of(type.cast(o));
            }
        }
        return Optional.empty();
    }

    /** Whether a server needs to look at the first bytes of a connection (TLS or an HTTP protocol is on). */
    public boolean multiProtocol() {
        return serverTls != null || httpGateway || jsonRpc;
    }
}

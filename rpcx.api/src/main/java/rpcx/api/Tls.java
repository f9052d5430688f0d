package rpcx.api;

import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts that every transport can use. An {@link SSLContext} hides its keys, which is fine for the JDK's TLS
 * ({@code tcp}, {@code ws}, {@code http}) but not for transports with a TLS stack of their own ({@code quic}): they
 * need the key and trust managers. A context made here is an ordinary {@code SSLContext} that also remembers them,
 * for {@code ServerOptions.withTls} and {@code ClientOptions.withTls} alike.
 */
public final class Tls {
    private Tls() {
    }

    /**
     * A TLS context from key and trust managers.
     *
     * @param keys  this side's certificate and key (a server's; a client's for mutual TLS), or null
     * @param trust whom to trust (a client: the servers; a server with client auth: the clients), or null for the
     *              JVM's default trust
     * @throws RpcConfigurationException when the JVM has no TLS implementation or refuses the managers
     */
    public static SSLContext context(KeyManagerFactory keys, TrustManagerFactory trust) {
        try {
            SSLContext real = SSLContext.getInstance("TLS");
            real.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return new Keyed(real, keys, trust);
        } catch (GeneralSecurityException e) {
            throw new RpcConfigurationException("cannot build a TLS context: " + e.getMessage());
        }
    }

    /** The key managers of a context made by {@link #context}; empty for any other context. */
    public static Optional<KeyManagerFactory> keyManagers(SSLContext context) {
        return context instanceof Keyed k ? Optional.ofNullable(k.keys) : Optional.empty();
    }

    /** The trust managers of a context made by {@link #context}; empty for any other context. */
    public static Optional<TrustManagerFactory> trustManagers(SSLContext context) {
        return context instanceof Keyed k ? Optional.ofNullable(k.trust) : Optional.empty();
    }

    /** Whether the context was made by {@link #context}, so its managers are known. */
    public static boolean hasManagers(SSLContext context) {
        return context instanceof Keyed;
    }

    private static final class Keyed extends SSLContext {
        final KeyManagerFactory keys;
        final TrustManagerFactory trust;

        Keyed(SSLContext real, KeyManagerFactory keys, TrustManagerFactory trust) {
            super(new Delegating(real), real.getProvider(), real.getProtocol());
            this.keys = keys;
            this.trust = trust;
        }
    }

    /** Every operation done by the initialised context underneath. */
    private static final class Delegating extends SSLContextSpi {
        private final SSLContext real;

        Delegating(SSLContext real) {
            this.real = real;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this context is initialised already (rpcx.api.Tls.context)");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real.getClientSessionContext();
        }
    }
}

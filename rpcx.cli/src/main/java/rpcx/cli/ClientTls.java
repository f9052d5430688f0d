package rpcx.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;

import rpcx.api.Tls;

/**
 * The client's TLS context from the tool's flags, as grpcurl's: {@code --tls} checks the server against the JVM's
 * trusted CAs, {@code --cacert} against the given certificates, {@code --insecure} checks nothing (Go's
 * {@code InsecureSkipVerify}). Contexts are made with {@link Tls#context}, so QUIC can use them as well.
 */
final class ClientTls {
    private ClientTls() {
    }

    /**
     * The context, or null when no flag asks for TLS (plain TCP; QUIC then does as Go's client without a TLS config).
     *
     * @throws IllegalArgumentException when the certificates cannot be read
     */
    static SSLContext context(boolean tls, Path cacert, boolean insecure) {
        if (insecure) {
            return Tls.context(null, new TrustEveryone());
        }
        if (cacert != null) {
            return Tls.context(null, trusting(cacert));
        }
        if (tls) {
            try {
                TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                jvm.init((KeyStore) null);
                return Tls.context(null, jvm);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("--tls: the JVM's trusted CAs cannot be loaded: " + e.getMessage());
            }
        }
        return null;
    }

    private static TrustManagerFactory trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("--cacert " + pem + ": no certificate in it (PEM or DER X.509 expected)");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (IOException e) {
            throw new IllegalArgumentException("--cacert " + pem + ": cannot read it: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + pem + ": not X.509 certificates: " + e.getMessage());
        }
    }

    /** Trusts any server certificate, for any host name. */
    private static final class TrustEveryone extends TrustManagerFactory {
        private static final Provider PROVIDER = new Provider("rpcx-insecure", "1", "trusts every certificate") {
            private static final long serialVersionUID = 1L;
        };

        TrustEveryone() {
            super(new Spi(), PROVIDER, "insecure");
        }

        private static final class Spi extends TrustManagerFactorySpi {
            @Override
            protected void engineInit(KeyStore ks) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected TrustManager[] engineGetTrustManagers() {
                return new TrustManager[] {new Unchecked()};
            }
        }

        /** Extended, so the JDK does not wrap it and check the host name itself. */
        private static final class Unchecked extends X509ExtendedTrustManager {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }
    }
}

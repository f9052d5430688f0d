package rpcx.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
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
 * {@code InsecureSkipVerify}); {@code --cert} and {@code --key} give the client's own certificate for servers that
 * require one (mutual TLS). Contexts are made with {@link Tls#context}, so QUIC can use them as well.
 */
final class ClientTls {
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";

    private ClientTls() {
    }

    /** The TLS flags as given; {@code cert} and {@code key} come together or not at all. */
    record Flags(boolean tls, Path cacert, boolean insecure, Path cert, Path key) {
    }

    /**
     * The context, or null when no flag asks for TLS (plain TCP; QUIC then does as Go's client without a TLS config).
     *
     * @throws IllegalArgumentException when the files cannot be read or are not what they should be
     */
    static SSLContext context(Flags f) {
        if ((f.cert() == null) != (f.key() == null)) {
            throw new IllegalArgumentException("--cert and --key go together: the client's certificate and its key");
        }
        KeyManagerFactory keys = f.cert() == null ? null : keys(f.cert(), f.key());
        if (f.insecure()) {
            return Tls.context(keys, new TrustEveryone());
        }
        if (f.cacert() != null) {
            return Tls.context(keys, trusting(f.cacert()));
        }
        if (f.tls() || keys != null) {
            try {
                TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                jvm.init((KeyStore) null);
                return Tls.context(keys, jvm);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("--tls: the JVM's trusted CAs cannot be loaded: " + e.getMessage());
            }
        }
        return null;
    }

    private static Collection<? extends Certificate> certificates(String flag, Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(flag + " " + pem + ": no certificate in it (PEM or DER X.509 expected)");
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + pem + ": cannot read it: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(flag + " " + pem + ": not X.509 certificates: " + e.getMessage());
        }
    }

    /** The client's certificate chain (PEM) and its unencrypted PKCS#8 key (PEM {@code BEGIN PRIVATE KEY}). */
    private static KeyManagerFactory keys(Path cert, Path key) {
        Certificate[] chain = certificates("--cert", cert).toArray(new Certificate[0]);
        String text;
        try {
            text = Files.readString(key, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("--key " + key + ": cannot read it: " + e.getMessage());
        }
        int begin = text.indexOf(PKCS8_BEGIN);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("--key " + key + ": no unencrypted PKCS#8 key (BEGIN PRIVATE KEY) in it;"
                    + " convert one with: openssl pkcs8 -topk8 -nocrypt -in " + key.getFileName() + " -out key.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--key " + key + ": the PEM is not valid base64: " + e.getMessage());
        }
        PrivateKey privateKey = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                privateKey = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                break;
            } catch (GeneralSecurityException e) {
                // another algorithm
            }
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("--key " + key + ": not an EC, RSA or EdDSA private key");
        }
        try {
            char[] password = "rpcx".toCharArray(); // of the in-memory key store only
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", privateKey, password, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--cert/--key: the key does not go with the certificate: " + e.getMessage());
        }
    }


    private static TrustManagerFactory trusting(Path pem) {
        Collection<? extends Certificate> certs = certificates("--cacert", pem);
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + pem + ": cannot trust these certificates: " + e.getMessage());
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

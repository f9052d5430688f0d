package rpcx.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import rpcx.api.Tls;

/**
 * One self-signed EC certificate for {@code localhost} and {@code 127.0.0.1} (valid two days), made once per JVM
 * with the JDK's keytool, and the TLS contexts and files tests need around it.
 */
public final class SelfSignedTls {
    /** The key store's and the key's password. */
    public static final String PASSWORD = "changeit";
    /** The key's alias in the key store. */
    public static final String ALIAS = "server";

    private static Path dir;
    private static KeyStore keys;

    private SelfSignedTls() {
    }

    /** The PKCS#12 key store file holding the key and certificate (password {@link #PASSWORD}). */
    public static synchronized Path keyStoreFile() throws IOException, InterruptedException {
        if (dir == null) {
            Path d = Files.createTempDirectory("rpcx-tls");
            Path p12 = d.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            dir = d;
        }
        return dir.resolve("server.p12");
    }

    /** The key store, loaded. */
    public static synchronized KeyStore keyStore() throws IOException, InterruptedException, GeneralSecurityException {
        if (keys == null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStoreFile())) {
                ks.load(in, PASSWORD.toCharArray());
            }
            keys = ks;
        }
        return keys;
    }

    /** The certificate as a PEM file, for clients that are told whom to trust. */
    public static synchronized Path certificatePem() throws IOException, InterruptedException, GeneralSecurityException {
        Path pem = keyStoreFile().resolveSibling("server.pem");
        if (!Files.exists(pem)) {
            String body = base64(keyStore().getCertificate(ALIAS).getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
        }
        return pem;
    }

    /** The private key as an unencrypted PKCS#8 PEM file ({@code BEGIN PRIVATE KEY}), as openssl writes it. */
    public static synchronized Path privateKeyPem() throws IOException, InterruptedException, GeneralSecurityException {
        Path pem = keyStoreFile().resolveSibling("server.key");
        if (!Files.exists(pem)) {
            byte[] pkcs8 = keyStore().getKey(ALIAS, PASSWORD.toCharArray()).getEncoded();
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + base64(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        }
        return pem;
    }

    private static String base64(byte[] der) {
        return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    }

    /** This key and certificate, as the side that presents them. */
    public static KeyManagerFactory keys() throws IOException, InterruptedException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD.toCharArray());
        return kmf;
    }

    /** Trust in exactly this certificate. */
    public static TrustManagerFactory trust() throws IOException, InterruptedException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(ALIAS, keyStore().getCertificate(ALIAS));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    /** A server's context with this key, its managers known (as QUIC needs). */
    public static SSLContext server() throws IOException, InterruptedException, GeneralSecurityException {
        return Tls.context(keys(), null);
    }

    /** A client's context trusting exactly this certificate. */
    public static SSLContext client() throws IOException, InterruptedException, GeneralSecurityException {
        return Tls.context(null, trust());
    }
}

package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

/** Tls.context makes an ordinary, working SSLContext that also hands out its managers. */
class TlsTest {
    @Test
    void aContextFromManagersWorksAndKeepsThem() throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(empty);
        SSLContext c = Tls.context(null, tmf);
        SSLEngine engine = c.createSSLEngine("localhost", 8972);
        engine.setUseClientMode(true);
        assertTrue(engine.getSupportedProtocols().length > 0);
        assertNotNull(c.getSocketFactory());
        assertTrue(Tls.hasManagers(c));
        assertSame(tmf, Tls.trustManagers(c).orElseThrow());
        assertTrue(Tls.keyManagers(c).isEmpty(), "none given");
        assertThrows(java.security.KeyManagementException.class, () -> c.init(null, null, null), "initialised once");

        SSLContext plain = SSLContext.getInstance("TLS");
        plain.init(null, null, null);
        assertFalse(Tls.hasManagers(plain));
        assertTrue(Tls.trustManagers(plain).isEmpty());
    }
}

package rpcx.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import rpcx.api.TransportException;

class HostPortTest {
    @Test
    void readsHostAndPort() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8972), HostPort.resolve("kcp", "127.0.0.1:8972", false));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9), HostPort.resolve("quic", "[::1]:9", false));
        assertTrue(HostPort.resolve("kcp", ":8972", true).getAddress().isAnyLocalAddress(), "empty host: all interfaces");
        assertTrue(HostPort.resolve("kcp", ":8972", false).getAddress().isLoopbackAddress(), "empty host: loopback to dial");
    }

    @Test
    void saysWhatIsWrong() {
        assertTrue(assertThrows(TransportException.class, () -> HostPort.resolve("kcp", "localhost", false))
                .getMessage().contains("write host:port"));
        assertTrue(assertThrows(TransportException.class, () -> HostPort.resolve("kcp", "h:x", false))
                .getMessage().contains("bad port"));
        assertTrue(assertThrows(TransportException.class, () -> HostPort.resolve("kcp", "h:70000", false))
                .getMessage().contains("out of range"));
        assertTrue(assertThrows(TransportException.class, () -> HostPort.resolve("kcp", "no-such-host.invalid:1", false))
                .getMessage().contains("cannot resolve"));
    }
}

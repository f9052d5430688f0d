package rpcx.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import rpcx.api.TransportException;

/** Address strings as Go writes them. */
class EndpointTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcp  | 127.0.0.1:8972   | 127.0.0.1   | 8972",
            "tcp  | [::1]:8972       | ::1         | 8972",
            "tcp6 | [fe80::1%lo]:1   | fe80::1%lo  | 1",
            "tcp  | :8972            | ''          | 8972",
            "tcp4 | :0               | ''          | 0",
            "tcp  | localhost:65535  | localhost   | 65535",
            "tcp  | []:80            | ''          | 80",
    })
    void parsesHostAndPort(String network, String address, String host, int port) {
        Endpoint e = Endpoint.parse(network, address);
        assertEquals(network, e.network());
        assertEquals(host, e.host());
        assertEquals(port, e.port());
        assertNull(e.path());
        assertEquals(network + "@" + address, e.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1:8972", "127.0.0.1", "host:", "host:abc", "host:65536", "host:-1", "host:123456",
            "[::1]8972", "[::1", "[::1]", "a[b]:1", ""})
    void rejectsMalformedAddresses(String address) {
        TransportException e = assertThrows(TransportException.class, () -> Endpoint.parse("tcp", address));
        assertTrue(e.getMessage().contains("invalid tcp address"), e.getMessage());
    }

    @Test
    void unixTakesAPath() {
        Endpoint e = Endpoint.parse("unix", "/tmp/rpcx.sock");
        assertTrue(e.isUnix());
        assertEquals("/tmp/rpcx.sock", e.path());
        assertEquals("unix@/tmp/rpcx.sock", e.toString());
        assertThrows(TransportException.class, () -> Endpoint.parse("unix", ""));
    }

    @Test
    void rejectsOtherNetworks() {
        TransportException e = assertThrows(TransportException.class, () -> Endpoint.parse("udp", "127.0.0.1:1"));
        assertTrue(e.getMessage().contains("unsupported network 'udp'"), e.getMessage());
        assertThrows(TransportException.class, () -> Endpoint.parse("tcp", null));
    }

    @Test
    void familiesOfTheNetworks() {
        assertEquals(4, Endpoint.parse("tcp4", ":1").family());
        assertEquals(6, Endpoint.parse("tcp6", ":1").family());
        assertEquals(0, Endpoint.parse("tcp", ":1").family());
    }
}

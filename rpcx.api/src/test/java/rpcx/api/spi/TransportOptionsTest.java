package rpcx.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import rpcx.api.ClientOptions;
import rpcx.api.ServerOptions;

/** Transport-specific options: one per class, found by class, carried by server and client options. */
class TransportOptionsTest {
    record Alpha(int value) {
    }

    record Beta(String value) {
    }

    @Test
    void oneOptionPerClassFoundByClass() {
        TransportConfig c = TransportConfig.DEFAULT.withOption(new Alpha(1)).withOption(new Beta("b"))
                .withOption(new Alpha(2));
        assertEquals(new Alpha(2), c.option(Alpha.class).orElseThrow(), "a later option of a class replaces the earlier");
        assertEquals(new Beta("b"), c.option(Beta.class).orElseThrow());
        assertEquals(2, c.options().size());
        assertTrue(TransportConfig.DEFAULT.option(Alpha.class).isEmpty());
        assertEquals(List.of(new Beta("b"), new Alpha(2)), c.withClientTls(null).withConnectTimeout(
                java.time.Duration.ofSeconds(3)).options(), "withers keep the options");
    }

    @Test
    void serverAndClientOptionsCarryThem() {
        ServerOptions s = ServerOptions.defaults().withTransportOption(new Alpha(1)).withTransportOption(new Alpha(3))
                .withReadTimeout(java.time.Duration.ofSeconds(1));
        assertEquals(List.of(new Alpha(3)), s.transportOptions());
        ClientOptions c = ClientOptions.defaults().withTransportOption(new Beta("x")).withRetries(1);
        assertEquals(List.of(new Beta("x")), c.transportOptions());
        assertTrue(ServerOptions.defaults().transportOptions().isEmpty());
    }
}

package rpcx.transport.quic;

import java.util.Set;

import io.netty.handler.codec.quic.Quic;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.api.spi.TransportProvider;

/** Network {@code quic} on Netty's native QUIC codec; unavailable (with the reason) where its library cannot load. */
public final class QuicTransportProvider implements TransportProvider {
    @Override
    public String name() {
        return "quic";
    }

    @Override
    public Set<String> networks() {
        return Set.of("quic");
    }

    /** Whether the native QUIC library loaded here. Never throws. */
    @Override
    public boolean isAvailable() {
        try {
            return Quic.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public String unavailableReason() {
        if (isAvailable()) {
            return "";
        }
        Throwable cause;
        try {
            cause = Quic.unavailabilityCause();
        } catch (Throwable t) {
            cause = t;
        }
        return "the native QUIC library of netty-codec-native-quic did not load (" + cause + "); on the module path add "
                + "--add-modules io.netty.codec.quic.linux.x86_64, and run on linux-x86_64";
    }

    /** A QUIC transport; it opens no socket and starts no thread until it listens or connects. */
    @Override
    public Transport create(TransportConfig config) {
        return new QuicTransport(config);
    }
}

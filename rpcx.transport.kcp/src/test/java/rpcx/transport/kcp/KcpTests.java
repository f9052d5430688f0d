package rpcx.transport.kcp;

import rpcx.api.spi.TransportConfig;

/** Shared settings of the KCP tests. */
final class KcpTests {
    /** The rpcx examples' key and Go rpcx's FEC 10/3. */
    static final KcpOptions OPTIONS = KcpOptions.of(KcpCrypt.aesFromPassword("rpcx-key", "rpcx-salt"));

    private KcpTests() {
    }

    static TransportConfig kcp(TransportConfig config) {
        return config.withOption(OPTIONS);
    }
}

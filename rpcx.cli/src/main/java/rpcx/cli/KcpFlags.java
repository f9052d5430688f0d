package rpcx.cli;

import rpcx.api.ClientOptions;
import rpcx.transport.kcp.KcpCrypt;
import rpcx.transport.kcp.KcpOptions;

/**
 * {@code --kcp-key}/{@code --kcp-salt} as KCP's transport option. Its own class: it names the kcp module, which the
 * tool requires only statically, so it is loaded only when those flags are given.
 */
final class KcpFlags {
    private KcpFlags() {
    }

    /** The options with the packet encryption: none, or AES with the key the rpcx examples derive (pbkdf2-sha1). */
    static ClientOptions apply(ClientOptions options, String key, String salt) {
        KcpCrypt crypt = key.equals("none") ? KcpCrypt.none() : KcpCrypt.aesFromPassword(key, salt);
        return options.withTransportOption(KcpOptions.of(crypt));
    }
}

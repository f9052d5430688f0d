package rpcx.examples.member.cmd;

import rpcx.transport.kcp.KcpCrypt;
import rpcx.transport.kcp.KcpOptions;

/**
 * The {@code kcp} network's settings for the examples: AES from PBKDF2 of a password and a salt, as the rpcx KCP
 * examples ({@code pbkdf2.Key("rpcx-key", "rpcx-salt", 4096, 32, sha1.New)}), FEC 10/3. Flags {@code -kcpkey} and
 * {@code -kcpsalt} change the password and salt. Only loaded with {@code -network kcp}, so the examples run without
 * the KCP module otherwise.
 */
final class KcpSettings {
    private KcpSettings() {
    }

    /** The options both sides of the examples use. */
    static KcpOptions options(Flags flags) {
        return KcpOptions.of(KcpCrypt.aesFromPassword(flags.get("kcpkey", "rpcx-key"), flags.get("kcpsalt", "rpcx-salt")));
    }
}

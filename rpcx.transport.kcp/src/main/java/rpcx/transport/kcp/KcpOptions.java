package rpcx.transport.kcp;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@code kcp} network, given to a server with
 * {@code ServerOptions.withTransportOption(options)} and to a client with
 * {@code ClientOptions.withTransportOption(options)} (Go: {@code server.WithBlockCrypt(bc)} and
 * {@code client.Option.Block = bc}). Start from {@link #of(KcpCrypt)} and change what you need.
 *
 * <p>What must match the peer: {@code crypt} (cipher and key) and the FEC shard counts (Go rpcx always uses
 * 10 data / 3 parity). The rest is this side's own behaviour.
 *
 * @param crypt          the packet encryption; null = no crypt header at all (kcp-go's {@code block == nil}, which
 *                       Go rpcx cannot use: its server refuses to listen without a {@code BlockCrypt})
 * @param dataShards     FEC data shards per group; 0 (with {@code parityShards} 0) = no FEC layer
 * @param parityShards   FEC parity shards per group
 * @param mtu            the largest UDP payload written, headers included (kcp-go: 1400)
 * @param sendWindow     segments in flight at most (kcp-go: 32); the peer's receive window also bounds it
 * @param receiveWindow  segments this side buffers (kcp-go: 32)
 * @param noDelay        KCP's no-delay mode: a 30 ms minimum retransmission timeout instead of 100 ms, and timeouts
 *                       grow by half instead of doubling
 * @param interval       how often the KCP state is flushed (acks, retransmissions)
 * @param fastResend     retransmit a segment once this many later segments were acknowledged (0 = off)
 * @param noCongestion   switch congestion control off (send within the windows only)
 * @param ackNoDelay     acknowledge every incoming packet at once instead of at the next flush (as the rpcx KCP
 *                       example server sets with {@code SetACKNoDelay(true)})
 */
public record KcpOptions(KcpCrypt crypt, int dataShards, int parityShards, int mtu, int sendWindow,
                         int receiveWindow, boolean noDelay, Duration interval, int fastResend, boolean noCongestion,
                         boolean ackNoDelay) {
    /** Validates the values. */
    public KcpOptions {
        if (dataShards < 0 || parityShards < 0 || (dataShards == 0) != (parityShards == 0)
                || dataShards + parityShards > 256) {
            throw new IllegalArgumentException("FEC shards: both 0 (off) or both >= 1 with at most 256 in all; got "
                    + dataShards + "/" + parityShards);
        }
        if (mtu < 100 || mtu > 1500) {
            throw new IllegalArgumentException("mtu must be 100..1500 (kcp-go's limit); got " + mtu);
        }
        if (sendWindow < 1 || receiveWindow < 1 || sendWindow > 65535 || receiveWindow > 65535) {
            throw new IllegalArgumentException("windows must be 1..65535 segments");
        }
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1 || interval.toMillis() > 5000) {
            throw new IllegalArgumentException("interval must be 1 ms..5 s; got " + interval);
        }
        if (fastResend < 0) {
            throw new IllegalArgumentException("fastResend must be >= 0");
        }
    }

    /**
     * The packet format of Go rpcx ({@code crypt}, FEC 10/3, MTU 1400) with this side tuned for calls rather than
     * bulk transfer: windows of 128 segments, no-delay mode, a 10 ms flush interval, fast resend after 2 later acks,
     * no congestion control, immediate acks (kcp-go's defaults are 32/32, normal mode, 100 ms, off, on, off).
     *
     * @param crypt the packet encryption both ends use
     * @return the options
     */
    public static KcpOptions of(KcpCrypt crypt) {
        return new KcpOptions(crypt, 10, 3, 1400, 128, 128, true, Duration.ofMillis(10), 2, true, true);
    }

    /** A copy with other FEC shard counts (0/0 = no FEC layer, which a Go rpcx peer cannot talk to). */
    public KcpOptions withFec(int data, int parity) {
        return new KcpOptions(crypt, data, parity, mtu, sendWindow, receiveWindow, noDelay, interval, fastResend,
                noCongestion, ackNoDelay);
    }

    /** A copy with other windows, in segments. */
    public KcpOptions withWindows(int send, int receive) {
        return new KcpOptions(crypt, dataShards, parityShards, mtu, send, receive, noDelay, interval, fastResend,
                noCongestion, ackNoDelay);
    }

    /** A copy with KCP's tuning: ikcp's {@code nodelay(nodelay, interval, resend, nc)}. */
    public KcpOptions withTuning(boolean noDelayMode, Duration flushInterval, int resend, boolean noCongestionControl) {
        return new KcpOptions(crypt, dataShards, parityShards, mtu, sendWindow, receiveWindow, noDelayMode,
                flushInterval, resend, noCongestionControl, ackNoDelay);
    }

    /** A copy with another MTU. */
    public KcpOptions withMtu(int bytes) {
        return new KcpOptions(crypt, dataShards, parityShards, bytes, sendWindow, receiveWindow, noDelay, interval,
                fastResend, noCongestion, ackNoDelay);
    }

    /** Bytes in front of every KCP packet: the crypt header and the FEC header with its size field. */
    int headerSize() {
        return (crypt != null ? KcpCrypt.HEADER : 0) + (dataShards > 0 ? Fec.HEADER_PLUS_SIZE : 0);
    }
}

package rpcx.transport.kcp;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.ListIterator;
import java.util.LinkedList;

/**
 * One KCP conversation: the ARQ protocol that kcp-go (and so Go rpcx's {@code kcp} network) speaks over UDP,
 * written for this project from the protocol's description. Messages given to {@link #send} are cut into segments
 * of at most {@code mtu - 24} bytes, sent within the send, remote and congestion windows, acknowledged selectively
 * and cumulatively, retransmitted on timeout (RTO from measured round trips) or after {@code fastresend} later
 * segments were acknowledged, and handed back whole and in order by {@link #recv}.
 *
 * <p>A segment on the wire, little-endian: {@code conv u32, cmd u8, frg u8, wnd u16, ts u32, sn u32, una u32,
 * len u32}, then {@code len} bytes. Commands: 81 push (data), 82 ack, 83 window probe, 84 window size.
 *
 * <p>Not thread-safe: the owner serialises {@link #input}, {@link #send}, {@link #recv} and {@link #update}
 * (one event loop). Time is a millisecond clock chosen by the owner, compared with 32-bit wraparound.
 */
final class Kcp {
    static final int OVERHEAD = 24;
    static final int CMD_PUSH = 81;
    static final int CMD_ACK = 82;
    static final int CMD_WASK = 83;
    static final int CMD_WINS = 84;
    private static final int ASK_SEND = 1;
    private static final int ASK_TELL = 2;
    private static final int RTO_NODELAY_MIN = 30;
    private static final int RTO_MIN = 100;
    private static final int RTO_DEFAULT = 200;
    private static final int RTO_MAX = 60_000;
    /** kcp-go's default windows (its receive window is 32, not ikcp's 128). */
    static final int WND_SND = 32;
    static final int WND_RCV = 32;
    static final int MTU_DEFAULT = 1400;
    private static final int THRESH_INIT = 2;
    private static final int THRESH_MIN = 2;
    private static final int PROBE_INIT = 7_000;
    private static final int PROBE_LIMIT = 120_000;
    private static final int DEAD_LINK = 20;
    private static final int FASTACK_LIMIT = 5;

    /** Where finished packets go: {@code (buffer, length)}; the buffer is reused after the call. */
    interface Output {
        void send(byte[] buffer, int length);
    }

    private static final class Segment {
        int cmd;
        int frg;
        int wnd;
        int ts;
        int sn;
        int una;
        int resendTs;
        int rto;
        int fastack;
        int xmit;
        byte[] data;

        Segment(byte[] data) {
            this.data = data;
        }
    }

    private final int conv;
    private final Output output;
    private int mtu = MTU_DEFAULT;
    private int mss = MTU_DEFAULT - OVERHEAD;
    private int reserved;
    private boolean stream;
    private byte[] buffer = new byte[(MTU_DEFAULT + OVERHEAD) * 3];
    private boolean dead;
    private int sndUna;
    private int sndNxt;
    private int rcvNxt;
    private int ssthresh = THRESH_INIT;
    private int rxRttval;
    private int rxSrtt;
    private int rxRto = RTO_DEFAULT;
    private int rxMinRto = RTO_MIN;
    private int sndWnd = WND_SND;
    private int rcvWnd = WND_RCV;
    private int rmtWnd = WND_RCV;
    private int cwnd;
    private int incr;
    private int probe;
    private int current;
    private int interval = 100;
    private int tsFlush = 100;
    private int nodelay;
    private boolean updated;
    private int tsProbe;
    private int probeWait;
    private int fastresend;
    private int fastlimit = FASTACK_LIMIT;
    private boolean nocwnd;
    private final ArrayDeque<Segment> sndQueue = new ArrayDeque<>();
    private final ArrayDeque<Segment> rcvQueue = new ArrayDeque<>();
    private final LinkedList<Segment> sndBuf = new LinkedList<>();
    private final LinkedList<Segment> rcvBuf = new LinkedList<>();
    /** Pending acknowledgements: sn, ts pairs. */
    private int[] acks = new int[64];
    private int ackCount;

    Kcp(int conv, Output output) {
        this.conv = conv;
        this.output = output;
    }

    private static int diff(int later, int earlier) {
        return later - earlier; // wraps as the protocol's 32-bit counters do
    }

    /** The conversation id. */
    int conv() {
        return conv;
    }

    /** Whether a segment has been sent {@code DEAD_LINK} times without an acknowledgement. */
    boolean isDead() {
        return dead;
    }

    /**
     * ikcp's {@code nodelay}: {@code nodelay} 1 for the fast RTO rules (and a 30 ms minimum RTO), {@code interval}
     * the flush period (10 to 5000 ms), {@code resend} the duplicate-ack count that resends at once (0 = off),
     * {@code noCongestion} to ignore the congestion window. kcp-go's fast mode is (1, 10, 2, true).
     */
    void nodelay(int nodelayMode, int intervalMillis, int resend, boolean noCongestion) {
        if (nodelayMode >= 0) {
            nodelay = nodelayMode;
            rxMinRto = nodelayMode != 0 ? RTO_NODELAY_MIN : RTO_MIN;
        }
        if (intervalMillis >= 0) {
            interval = Math.max(10, Math.min(5000, intervalMillis));
        }
        if (resend >= 0) {
            fastresend = resend;
        }
        nocwnd = noCongestion;
    }

    /** The send and receive windows, in segments (0 leaves one unchanged). */
    void windows(int send, int receive) {
        if (send > 0) {
            sndWnd = send;
        }
        if (receive > 0) {
            rcvWnd = receive;
        }
    }

    /** The largest packet written, headers and reserved bytes included. */
    void mtu(int bytes) {
        if (bytes < 50 + reserved) {
            throw new IllegalArgumentException("KCP mtu must be at least 50 bytes plus the reserved ones: " + bytes);
        }
        mtu = bytes;
        mss = bytes - OVERHEAD - reserved;
        buffer = new byte[(bytes + OVERHEAD) * 3];
    }

    /**
     * Keeps the first {@code bytes} of every output packet free for the layers below (kcp-go's
     * {@code ReserveBytes}: the crypt and FEC headers); the output length includes them.
     */
    void reserve(int bytes) {
        if (bytes < 0 || bytes >= mtu - OVERHEAD - 16) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " of a " + mtu + "-byte packet");
        }
        reserved = bytes;
        mss = mtu - OVERHEAD - bytes;
    }

    /**
     * Stream mode (kcp-go's {@code SetStreamMode(true)}): sent bytes fill the last queued segment before a new one
     * starts and every segment is a message of its own ({@code frg} 0), so a byte stream packs into few packets.
     */
    void streamMode(boolean on) {
        stream = on;
    }

    /** Sets the clock without flushing (before {@link #input}, so round trips are measured against now). */
    void clock(int nowMillis) {
        current = nowMillis;
    }

    /** Asks the peer for its window size at the next flush (a probe every KCP peer answers). */
    void askWindow() {
        probe |= ASK_SEND;
    }

    /** The largest segment payload. */
    int mss() {
        return mss;
    }

    /** Whether a flush has anything to do soon: segments queued or in flight, acks or probes due, a closed window. */
    boolean busy() {
        return !sndQueue.isEmpty() || !sndBuf.isEmpty() || ackCount > 0 || probe != 0 || rmtWnd == 0;
    }

    /** Messages waiting to be sent or acknowledged. */
    int waiting() {
        return sndBuf.size() + sndQueue.size();
    }

    /**
     * Queues a message, cut into at most 255 segments.
     *
     * @throws IllegalArgumentException when it is empty or needs more than 255 segments
     */
    void send(byte[] message) {
        if (message.length == 0) {
            throw new IllegalArgumentException("KCP cannot send an empty message");
        }
        if (stream) {
            int from = 0;
            Segment last = sndQueue.peekLast();
            if (last != null && last.data.length < mss) {
                int take = Math.min(mss - last.data.length, message.length);
                byte[] grown = Arrays.copyOf(last.data, last.data.length + take);
                System.arraycopy(message, 0, grown, last.data.length, take);
                last.data = grown;
                from = take;
            }
            while (from < message.length) {
                int to = Math.min(message.length, from + mss);
                sndQueue.add(new Segment(Arrays.copyOfRange(message, from, to)));
                from = to;
            }
            return;
        }
        int count = (message.length + mss - 1) / mss;
        if (count > 255) {
            throw new IllegalArgumentException("a KCP message of " + message.length + " bytes needs " + count
                    + " segments; at most 255 of " + mss + " bytes fit");
        }
        for (int i = 0; i < count; i++) {
            int from = i * mss;
            Segment s = new Segment(Arrays.copyOfRange(message, from, Math.min(message.length, from + mss)));
            s.frg = count - i - 1;
            sndQueue.add(s);
        }
    }

    /** The size of the next whole message, or -1 when none is complete. */
    int peekSize() {
        Segment first = rcvQueue.peekFirst();
        if (first == null) {
            return -1;
        }
        if (first.frg == 0) {
            return first.data.length;
        }
        if (rcvQueue.size() < first.frg + 1) {
            return -1;
        }
        int size = 0;
        for (Segment s : rcvQueue) {
            size += s.data.length;
            if (s.frg == 0) {
                return size;
            }
        }
        return -1; // no last fragment yet (or a peer numbering fragments inconsistently)
    }

    /** The next whole message, or null. */
    byte[] recv() {
        int size = peekSize();
        if (size < 0) {
            return null;
        }
        boolean recover = rcvQueue.size() >= rcvWnd;
        byte[] message = new byte[size];
        int at = 0;
        while (true) {
            Segment s = rcvQueue.removeFirst();
            System.arraycopy(s.data, 0, message, at, s.data.length);
            at += s.data.length;
            if (s.frg == 0) {
                break;
            }
        }
        moveReceived();
        if (rcvQueue.size() < rcvWnd && recover) {
            probe |= ASK_TELL; // the window opened again: tell the peer
        }
        return message;
    }

    private void moveReceived() {
        while (!rcvBuf.isEmpty() && rcvBuf.getFirst().sn == rcvNxt && rcvQueue.size() < rcvWnd) {
            rcvQueue.add(rcvBuf.removeFirst());
            rcvNxt++;
        }
    }

    /**
     * Takes one packet from the peer (one or more segments). {@code regular} is false for a packet rebuilt by FEC:
     * it is older than what arrived, so its window and timestamps are not trusted (as kcp-go).
     *
     * @return 0, or negative for a packet of another conversation (-1), a truncated one (-2), an unknown command (-3)
     */
    int input(byte[] packet, int offset, int length) {
        return input(packet, offset, length, true);
    }

    /** {@link #input(byte[], int, int)} for a packet received as is ({@code regular}) or rebuilt by FEC. */
    int input(byte[] packet, int offset, int length, boolean regular) {
        int prevUna = sndUna;
        boolean sawAck = false;
        int maxAck = 0;
        int at = offset;
        int end = offset + length;
        if (length < OVERHEAD) {
            return -1;
        }
        while (end - at >= OVERHEAD) {
            int segConv = le32(packet, at);
            if (segConv != conv) {
                return -1;
            }
            int cmd = packet[at + 4] & 0xFF;
            int frg = packet[at + 5] & 0xFF;
            int wnd = le16(packet, at + 6);
            int ts = le32(packet, at + 8);
            int sn = le32(packet, at + 12);
            int una = le32(packet, at + 16);
            long len = le32(packet, at + 20) & 0xFFFFFFFFL;
            at += OVERHEAD;
            if (len > end - at) {
                return -2;
            }
            if (cmd != CMD_PUSH && cmd != CMD_ACK && cmd != CMD_WASK && cmd != CMD_WINS) {
                return -3;
            }
            if (regular) {
                rmtWnd = wnd;
            }
            parseUna(una);
            shrinkBuf();
            if (cmd == CMD_ACK) {
                if (regular && diff(current, ts) >= 0) {
                    updateAck(diff(current, ts));
                }
                parseAck(sn);
                shrinkBuf();
                if (!sawAck || diff(sn, maxAck) > 0) {
                    sawAck = true;
                    maxAck = sn;
                }
            } else if (cmd == CMD_PUSH) {
                if (diff(sn, rcvNxt + rcvWnd) < 0) {
                    pushAck(sn, ts);
                    if (diff(sn, rcvNxt) >= 0) {
                        Segment s = new Segment(Arrays.copyOfRange(packet, at, at + (int) len));
                        s.frg = frg;
                        s.sn = sn;
                        parseData(s);
                    }
                }
            } else if (cmd == CMD_WASK) {
                probe |= ASK_TELL;
            }
            at += (int) len;
        }
        if (sawAck) {
            parseFastAck(maxAck);
        }
        if (diff(sndUna, prevUna) > 0 && cwnd < rmtWnd) {
            if (cwnd < ssthresh) {
                cwnd++;
                incr += mss;
            } else {
                if (incr < mss) {
                    incr = mss;
                }
                incr += (mss * mss) / incr + (mss / 16);
                if ((cwnd + 1) * mss <= incr) {
                    cwnd = (incr + mss - 1) / mss;
                }
            }
            if (cwnd > rmtWnd) {
                cwnd = rmtWnd;
                incr = rmtWnd * mss;
            }
        }
        return 0;
    }

    private void updateAck(int rtt) {
        if (rxSrtt == 0) {
            rxSrtt = rtt;
            rxRttval = rtt / 2;
        } else {
            int delta = Math.abs(rtt - rxSrtt);
            rxRttval = (3 * rxRttval + delta) / 4;
            rxSrtt = Math.max(1, (7 * rxSrtt + rtt) / 8);
        }
        int rto = rxSrtt + Math.max(interval, 4 * rxRttval);
        rxRto = Math.max(rxMinRto, Math.min(RTO_MAX, rto));
    }

    private void shrinkBuf() {
        sndUna = sndBuf.isEmpty() ? sndNxt : sndBuf.getFirst().sn;
    }

    private void parseAck(int sn) {
        if (diff(sn, sndUna) < 0 || diff(sn, sndNxt) >= 0) {
            return;
        }
        for (Iterator<Segment> it = sndBuf.iterator(); it.hasNext(); ) {
            Segment s = it.next();
            if (s.sn == sn) {
                it.remove();
                break;
            }
            if (diff(sn, s.sn) < 0) {
                break;
            }
        }
    }

    private void parseUna(int una) {
        while (!sndBuf.isEmpty() && diff(una, sndBuf.getFirst().sn) > 0) {
            sndBuf.removeFirst();
        }
    }

    private void parseFastAck(int sn) {
        if (diff(sn, sndUna) < 0 || diff(sn, sndNxt) >= 0) {
            return;
        }
        for (Segment s : sndBuf) {
            if (diff(sn, s.sn) < 0) {
                break;
            }
            if (sn != s.sn) {
                s.fastack++;
            }
        }
    }

    private void pushAck(int sn, int ts) {
        if (ackCount * 2 + 2 > acks.length) {
            acks = Arrays.copyOf(acks, acks.length * 2);
        }
        acks[ackCount * 2] = sn;
        acks[ackCount * 2 + 1] = ts;
        ackCount++;
    }

    private void parseData(Segment segment) {
        int sn = segment.sn;
        if (diff(sn, rcvNxt + rcvWnd) >= 0 || diff(sn, rcvNxt) < 0) {
            return;
        }
        ListIterator<Segment> it = rcvBuf.listIterator(rcvBuf.size());
        boolean repeat = false;
        while (it.hasPrevious()) {
            Segment s = it.previous();
            if (s.sn == sn) {
                repeat = true;
                break;
            }
            if (diff(sn, s.sn) > 0) {
                it.next();
                break;
            }
        }
        if (!repeat) {
            it.add(segment);
        }
        moveReceived();
    }

    private int unusedWindow() {
        return Math.max(0, rcvWnd - rcvQueue.size());
    }

    private int encode(int at, int cmd, int frg, int wnd, int ts, int sn, int una, int len) {
        le32(buffer, at, conv);
        buffer[at + 4] = (byte) cmd;
        buffer[at + 5] = (byte) frg;
        buffer[at + 6] = (byte) wnd;
        buffer[at + 7] = (byte) (wnd >>> 8);
        le32(buffer, at + 8, ts);
        le32(buffer, at + 12, sn);
        le32(buffer, at + 16, una);
        le32(buffer, at + 20, len);
        return at + OVERHEAD;
    }

    private int room(int at, int need) {
        if (at + need > mtu) {
            output.send(buffer, at);
            return reserved;
        }
        return at;
    }

    /** Sends what is due now: acknowledgements, window probes, new segments within the windows, retransmissions. */
    void flush() {
        if (!updated) {
            return;
        }
        int wnd = unusedWindow();
        int at = reserved;
        for (int i = 0; i < ackCount; i++) {
            at = room(at, OVERHEAD);
            at = encode(at, CMD_ACK, 0, wnd, acks[i * 2 + 1], acks[i * 2], rcvNxt, 0);
        }
        ackCount = 0;

        if (rmtWnd == 0) {
            if (probeWait == 0) {
                probeWait = PROBE_INIT;
                tsProbe = current + probeWait;
            } else if (diff(current, tsProbe) >= 0) {
                probeWait = Math.min(PROBE_LIMIT, Math.max(PROBE_INIT, probeWait) + Math.max(PROBE_INIT, probeWait) / 2);
                tsProbe = current + probeWait;
                probe |= ASK_SEND;
            }
        } else {
            tsProbe = 0;
            probeWait = 0;
        }
        if ((probe & ASK_SEND) != 0) {
            at = room(at, OVERHEAD);
            at = encode(at, CMD_WASK, 0, wnd, 0, 0, rcvNxt, 0);
        }
        if ((probe & ASK_TELL) != 0) {
            at = room(at, OVERHEAD);
            at = encode(at, CMD_WINS, 0, wnd, 0, 0, rcvNxt, 0);
        }
        probe = 0;

        int window = Math.min(sndWnd, rmtWnd);
        if (!nocwnd) {
            window = Math.min(cwnd, window);
        }
        while (diff(sndNxt, sndUna + window) < 0 && !sndQueue.isEmpty()) {
            Segment s = sndQueue.removeFirst();
            s.cmd = CMD_PUSH;
            s.ts = current;
            s.sn = sndNxt++;
            s.una = rcvNxt;
            s.resendTs = current;
            s.rto = rxRto;
            sndBuf.add(s);
        }

        int resent = fastresend > 0 ? fastresend : Integer.MAX_VALUE;
        int rtoMin = nodelay == 0 ? (rxRto >> 3) : 0;
        boolean lost = false;
        boolean changed = false;
        for (Segment s : sndBuf) {
            boolean due = false;
            if (s.xmit == 0) {
                due = true;
                s.xmit++;
                s.rto = rxRto;
                s.resendTs = current + s.rto + rtoMin;
            } else if (diff(current, s.resendTs) >= 0) {
                due = true;
                s.xmit++;
                if (nodelay == 0) {
                    s.rto += Math.max(s.rto, rxRto);
                } else {
                    int step = nodelay < 2 ? s.rto : rxRto;
                    s.rto += step / 2;
                }
                s.resendTs = current + s.rto;
                lost = true;
            } else if (s.fastack >= resent && (s.xmit <= fastlimit || fastlimit <= 0)) {
                due = true;
                s.xmit++;
                s.fastack = 0;
                s.resendTs = current + s.rto;
                changed = true;
            }
            if (due) {
                s.ts = current;
                s.wnd = wnd;
                s.una = rcvNxt;
                at = room(at, OVERHEAD + s.data.length);
                at = encode(at, CMD_PUSH, s.frg, s.wnd, s.ts, s.sn, s.una, s.data.length);
                System.arraycopy(s.data, 0, buffer, at, s.data.length);
                at += s.data.length;
                if (s.xmit >= DEAD_LINK) {
                    dead = true;
                }
            }
        }
        if (at > reserved) {
            output.send(buffer, at);
        }
        if (changed) {
            int inflight = sndNxt - sndUna;
            ssthresh = Math.max(THRESH_MIN, inflight / 2);
            cwnd = ssthresh + resent;
            incr = cwnd * mss;
        }
        if (lost) {
            ssthresh = Math.max(THRESH_MIN, cwnd / 2);
            cwnd = 1;
            incr = mss;
        }
        if (cwnd < 1) {
            cwnd = 1;
            incr = mss;
        }
    }

    /** Advances the clock to {@code nowMillis} and flushes when the interval is up (call it every few ms). */
    void update(int nowMillis) {
        current = nowMillis;
        if (!updated) {
            updated = true;
            tsFlush = current;
        }
        int slap = diff(current, tsFlush);
        if (slap >= 10_000 || slap < -10_000) {
            tsFlush = current;
            slap = 0;
        }
        if (slap >= 0) {
            tsFlush += interval;
            if (diff(current, tsFlush) >= 0) {
                tsFlush = current + interval;
            }
            flush();
        }
    }

    /** The ARQ state in one line, for diagnostics. */
    String state() {
        return "conv=" + Integer.toUnsignedString(conv) + " sndUna=" + sndUna + " sndNxt=" + sndNxt + " rmtWnd=" + rmtWnd
                + " cwnd=" + cwnd + " sndQueue=" + sndQueue.size() + " sndBuf=" + sndBuf.size() + " rcvNxt=" + rcvNxt
                + " rcvBuf=" + rcvBuf.size() + " rcvQueue=" + rcvQueue.size() + " rto=" + rxRto + " dead=" + dead;
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static void le32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}

package rpcx.transport.kcp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kcp-go's forward error correction layer (the format of kcp-go v5 as Go rpcx uses it, {@code DialWithOptions(addr,
 * block, 10, 3)}). Every KCP packet becomes a data shard; after each {@code data} data shards the sender adds
 * {@code parity} parity shards computed with {@link ReedSolomon}, so a receiver that lost up to {@code parity} of a
 * group's packets rebuilds the lost data shards without waiting for KCP's retransmission.
 *
 * <p>The shard header, little-endian, right after the crypt header (if any): {@code seqid u32, flag u16} with flag
 * {@code 0xf1} for data and {@code 0xf2} for parity. A data shard goes on with {@code size u16} (2 + the KCP
 * packet's length) and the KCP packet; a parity shard carries the code of the group's {@code size + packet} parts,
 * each zero-padded to the longest. Sequence ids count shards (data and parity) and wrap at the largest multiple of
 * {@code data + parity} below 2^32, so {@code seqid / (data + parity)} names a group.
 */
final class Fec {
    static final int HEADER = 6;
    static final int HEADER_PLUS_SIZE = HEADER + 2;
    static final int TYPE_DATA = 0xf1;
    static final int TYPE_PARITY = 0xf2;
    /** Newer kcp-go's out-of-band packets (not reliable, not part of FEC): {@code seqid 0xffffffff, 0xf3, size, conv, data}. */
    static final int TYPE_OOB = 0xf3;
    /** Shards older than this are dropped from the receive side (kcp-go's {@code fecExpire}). */
    static final int EXPIRE_MILLIS = 60_000;

    private Fec() {
    }

    /** Reads the flag of a shard whose header starts at {@code at}. */
    static int flag(byte[] packet, int at) {
        return (packet[at + 4] & 0xff) | (packet[at + 5] & 0xff) << 8;
    }

    /** Builds the shard headers and the parity shards of the sending side. Not thread-safe. */
    static final class Encoder {
        private final ReedSolomon code;
        private final int headerOffset;
        private final int payloadOffset;
        private final long wrap;
        private long next;
        private final byte[][] shards;
        private final int[] lengths;
        private int count;
        private int maxLength;

        /**
         * @param code         the Reed-Solomon code (its shard counts)
         * @param headerOffset where the shard header starts in each packet (the crypt header's size, or 0)
         * @param mtu          the largest packet
         */
        Encoder(ReedSolomon code, int headerOffset, int mtu) {
            this.code = code;
            this.headerOffset = headerOffset;
            this.payloadOffset = headerOffset + HEADER;
            int group = code.dataShards() + code.parityShards();
            this.wrap = 0xffffffffL / group * group;
            this.shards = new byte[group][mtu];
            this.lengths = new int[code.dataShards()];
        }

        /**
         * Marks {@code packet[0..length)} as the next data shard (the KCP packet starts at
         * {@code headerOffset + 8}) and returns the parity shards when this data shard completes a group (whole
         * packets of the same layout, their crypt header space left for the caller), else an empty list.
         */
        List<byte[]> encode(byte[] packet, int length) {
            header(packet, TYPE_DATA);
            next++;
            int size = length - payloadOffset;
            packet[payloadOffset] = (byte) size;
            packet[payloadOffset + 1] = (byte) (size >>> 8);
            lengths[count] = length;
            System.arraycopy(packet, payloadOffset, shards[count++], payloadOffset, size);
            maxLength = Math.max(maxLength, length);
            if (count < code.dataShards()) {
                return List.of();
            }
            for (int i = 0; i < count; i++) {
                java.util.Arrays.fill(shards[i], lengths[i], maxLength, (byte) 0); // zero-padded to the longest
            }
            code.encode(shards, payloadOffset, maxLength - payloadOffset);
            List<byte[]> parity = new ArrayList<>(code.parityShards());
            for (int p = 0; p < code.parityShards(); p++) {
                byte[] out = new byte[maxLength];
                System.arraycopy(shards[code.dataShards() + p], payloadOffset, out, payloadOffset, maxLength - payloadOffset);
                header(out, TYPE_PARITY);
                next = (next + 1) % wrap;
                parity.add(out);
            }
            count = 0;
            maxLength = 0;
            return parity;
        }

        private void header(byte[] packet, int type) {
            Kcp.le32(packet, headerOffset, (int) next);
            packet[headerOffset + 4] = (byte) type;
            packet[headerOffset + 5] = (byte) (type >>> 8);
        }
    }

    /**
     * Collects shards by group on the receiving side and rebuilds lost data shards once {@code data} shards of a
     * group arrived. Not thread-safe.
     */
    static final class Decoder {
        private final ReedSolomon code;
        private final int group;
        private final int limit;
        private final Map<Long, Group> groups = new LinkedHashMap<>();
        private final ArrayDeque<Long> finished = new ArrayDeque<>();
        private int pending;

        private static final class Group {
            final byte[][] shards;
            final int[] lengths;
            final long firstMillis;
            int present;
            int dataPresent;

            Group(int size, long now) {
                shards = new byte[size][];
                lengths = new int[size];
                firstMillis = now;
            }
        }

        /**
         * @param code  the Reed-Solomon code
         * @param limit shards kept waiting at most (kcp-go: 3 x (data + parity)); the oldest group goes first
         */
        Decoder(ReedSolomon code, int limit) {
            this.code = code;
            this.group = code.dataShards() + code.parityShards();
            this.limit = limit;
        }

        /**
         * Takes one shard ({@code packet[at..at+length)}, starting with the shard header) and returns the data
         * shards it lets us rebuild, each as {@code size u16} followed by the KCP packet (and zero padding), or an
         * empty list.
         */
        List<byte[]> decode(byte[] packet, int at, int length, long nowMillis) {
            expire(nowMillis);
            long seqid = Kcp.le32(packet, at) & 0xffffffffL;
            long id = seqid / group;
            int index = (int) (seqid % group);
            if (finished.contains(id)) {
                return List.of();
            }
            Group g = groups.get(id);
            if (g == null) {
                g = new Group(group, nowMillis);
                groups.put(id, g);
            }
            if (g.shards[index] != null) {
                return List.of(); // a duplicate
            }
            int bodyLength = length - HEADER;
            byte[] body = new byte[bodyLength];
            System.arraycopy(packet, at + HEADER, body, 0, bodyLength);
            g.shards[index] = body;
            g.lengths[index] = bodyLength;
            g.present++;
            pending++;
            if (index < code.dataShards()) {
                g.dataPresent++;
            }
            List<byte[]> recovered = List.of();
            if (g.dataPresent == code.dataShards()) {
                finish(id, g);
            } else if (g.present >= code.dataShards()) {
                recovered = rebuild(g);
                finish(id, g);
            }
            while (pending > limit && !groups.isEmpty()) {
                Iterator<Map.Entry<Long, Group>> oldest = groups.entrySet().iterator();
                Map.Entry<Long, Group> e = oldest.next();
                oldest.remove();
                pending -= e.getValue().present;
            }
            return recovered;
        }

        private List<byte[]> rebuild(Group g) {
            int longest = 0;
            for (int i = 0; i < group; i++) {
                if (g.shards[i] != null) {
                    longest = Math.max(longest, g.lengths[i]);
                }
            }
            byte[][] work = new byte[group][];
            for (int i = 0; i < group; i++) {
                if (g.shards[i] != null) {
                    work[i] = g.shards[i].length == longest ? g.shards[i] : java.util.Arrays.copyOf(g.shards[i], longest);
                }
            }
            if (!code.reconstructData(work, 0, longest)) {
                return List.of();
            }
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < code.dataShards(); i++) {
                if (g.shards[i] == null) {
                    out.add(work[i]);
                }
            }
            return out;
        }

        private void finish(long id, Group g) {
            groups.remove(id);
            pending -= g.present;
            finished.addLast(id);
            if (finished.size() > 64) {
                finished.removeFirst();
            }
        }

        private void expire(long now) {
            Iterator<Map.Entry<Long, Group>> it = groups.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Group> e = it.next();
                if (now - e.getValue().firstMillis <= EXPIRE_MILLIS) {
                    break;
                }
                it.remove();
                pending -= e.getValue().present;
            }
        }

        /** Shards waiting for their group (for tests). */
        int pending() {
            return pending;
        }
    }
}

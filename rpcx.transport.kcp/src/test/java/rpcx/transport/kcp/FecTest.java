package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** kcp-go's FEC layer: the shard headers on the wire and the rebuilding of lost data shards. */
class FecTest {
    private static final int CRYPT = 20;
    private static final int PAYLOAD = CRYPT + Fec.HEADER;

    /** A packet as KCP hands it out: 28 reserved bytes (crypt + FEC headers), then {@code kcpLength} bytes. */
    private static byte[] packet(Random random, int kcpLength) {
        byte[] p = new byte[CRYPT + Fec.HEADER_PLUS_SIZE + kcpLength];
        byte[] kcp = new byte[kcpLength];
        random.nextBytes(kcp);
        System.arraycopy(kcp, 0, p, CRYPT + Fec.HEADER_PLUS_SIZE, kcpLength);
        return p;
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /** seqid, flag 0xf1 and size (2 + the KCP packet) on data shards; three 0xf2 parity shards after every ten. */
    @Test
    void writesKcpGoShardHeaders() {
        Fec.Encoder enc = new Fec.Encoder(new ReedSolomon(10, 3), CRYPT, 1500);
        Random random = new Random(1);
        int longest = 0;
        for (int i = 0; i < 10; i++) {
            byte[] p = packet(random, 24 + i * 50);
            longest = Math.max(longest, p.length);
            List<byte[]> parity = enc.encode(p, p.length);
            assertEquals(i, Kcp.le32(p, CRYPT));
            assertEquals(0xf1, le16(p, CRYPT + 4));
            assertEquals(2 + 24 + i * 50, le16(p, PAYLOAD));
            if (i < 9) {
                assertTrue(parity.isEmpty());
            } else {
                assertEquals(3, parity.size());
                for (int k = 0; k < 3; k++) {
                    assertEquals(10 + k, Kcp.le32(parity.get(k), CRYPT));
                    assertEquals(0xf2, le16(parity.get(k), CRYPT + 4));
                    assertEquals(longest, parity.get(k).length, "parity covers the longest data shard");
                }
            }
        }
        byte[] next = packet(random, 30);
        enc.encode(next, next.length);
        assertEquals(13, Kcp.le32(next, CRYPT), "the next group starts after the parity shards");
    }

    /** Groups with up to three lost shards give back exactly the lost data shards; four lost give nothing. */
    @Test
    void rebuildsLostDataShards() {
        ReedSolomon code = new ReedSolomon(10, 3);
        Fec.Encoder enc = new Fec.Encoder(code, CRYPT, 1500);
        Fec.Decoder dec = new Fec.Decoder(code, 39);
        Random random = new Random(2);
        for (int group = 0; group < 40; group++) {
            List<byte[]> shards = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] p = packet(random, 24 + random.nextInt(1300));
                List<byte[]> parity = enc.encode(p, p.length);
                shards.add(p);
                shards.addAll(parity);
            }
            int lose = group % 5; // 0..4 lost shards
            List<Integer> lostIndexes = new ArrayList<>();
            while (lostIndexes.size() < lose) {
                int k = random.nextInt(13);
                if (!lostIndexes.contains(k)) {
                    lostIndexes.add(k);
                }
            }
            List<byte[]> rebuilt = new ArrayList<>();
            for (int k = 0; k < 13; k++) {
                if (!lostIndexes.contains(k)) {
                    byte[] s = shards.get(k);
                    rebuilt.addAll(dec.decode(s, CRYPT, s.length - CRYPT, 0));
                    rebuilt.addAll(dec.decode(s, CRYPT, s.length - CRYPT, 0)); // duplicates change nothing
                }
            }
            List<byte[]> lostData = lostIndexes.stream().filter(k -> k < 10).sorted().map(shards::get).toList();
            if (lose == 4) {
                assertTrue(rebuilt.isEmpty(), "four lost shards of thirteen cannot be rebuilt");
                continue;
            }
            if (lostData.isEmpty() || lostIndexes.size() == 0) {
                assertTrue(rebuilt.isEmpty(), "nothing to rebuild in group " + group);
                continue;
            }
            assertEquals(lostData.size(), rebuilt.size(), "group " + group);
            for (int i = 0; i < lostData.size(); i++) {
                byte[] expected = lostData.get(i);
                byte[] got = rebuilt.get(i);
                int size = le16(got, 0);
                assertEquals(le16(expected, PAYLOAD), size);
                assertArrayEquals(Arrays.copyOfRange(expected, PAYLOAD, expected.length), Arrays.copyOfRange(got, 0, size));
            }
        }
        assertTrue(dec.pending() <= 39, "the receive side stays bounded: " + dec.pending());
    }
}

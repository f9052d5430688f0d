package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Reed-Solomon code against klauspost/reedsolomon's published test values, and erasure recovery. */
class ReedSolomonTest {
    /** GF(2^8) products from klauspost's galois tests (poly 0x11d). */
    @Test
    void multipliesInKlauspostsField() {
        assertEquals(12, ReedSolomon.mul(3, 4));
        assertEquals(21, ReedSolomon.mul(7, 7));
        assertEquals(41, ReedSolomon.mul(23, 45));
        assertEquals(0, ReedSolomon.mul(0, 200));
        assertEquals(1, ReedSolomon.power(0, 0));
        assertEquals(0, ReedSolomon.power(0, 3));
    }

    /** klauspost's TestOneEncode: 5 data + 5 parity shards of two bytes, the parity values it expects. */
    @Test
    void encodesAsKlauspostsDefaultMatrix() {
        ReedSolomon rs = new ReedSolomon(5, 5);
        byte[][] shards = {{0, 1}, {4, 5}, {2, 3}, {6, 7}, {8, 9}, new byte[2], new byte[2], new byte[2], new byte[2],
            new byte[2]};
        rs.encode(shards, 0, 2);
        assertArrayEquals(new byte[] {12, 13}, shards[5]);
        assertArrayEquals(new byte[] {10, 11}, shards[6]);
        assertArrayEquals(new byte[] {14, 15}, shards[7]);
        assertArrayEquals(new byte[] {90, 91}, shards[8]);
        assertArrayEquals(new byte[] {94, 95}, shards[9]);
    }

    /** With 10/3 (Go rpcx's setting) any 10 of the 13 shards rebuild the data; 9 do not. */
    @Test
    void rebuildsDataFromAnyTenOfThirteen() {
        ReedSolomon rs = new ReedSolomon(10, 3);
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int length = 1 + random.nextInt(1400);
            byte[][] shards = new byte[13][length + 3];
            for (int i = 0; i < 10; i++) {
                random.nextBytes(shards[i]);
            }
            rs.encode(shards, 3, length);
            byte[][] original = new byte[13][];
            for (int i = 0; i < 13; i++) {
                original[i] = shards[i].clone();
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 13; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            int lost = random.nextInt(4);
            byte[][] received = shards.clone();
            for (int i = 0; i < lost; i++) {
                received[order.get(i)] = null;
            }
            assertTrue(rs.reconstructData(received, 3, length));
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(original[i], 3, 3 + length),
                        java.util.Arrays.copyOfRange(received[i], 3, 3 + length), "shard " + i + " round " + round);
            }
        }
        byte[][] tooFew = new byte[13][8];
        tooFew[0] = null;
        tooFew[4] = null;
        tooFew[7] = null;
        tooFew[11] = null;
        assertFalse(new ReedSolomon(10, 3).reconstructData(tooFew, 0, 8));
    }

    @Test
    void refusesImpossibleShardCounts() {
        assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new ReedSolomon(200, 57));
    }
}

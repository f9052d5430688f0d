package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

/**
 * kcp-go's packet encryption. The known answers were computed outside this project (Python's hashlib PBKDF2 and
 * the cryptography package's AES-CFB with kcp-go's initial vector).
 */
class KcpCryptTest {
    private static final HexFormat HEX = HexFormat.of();
    /** pbkdf2.Key("rpcx-key", "rpcx-salt", 4096, 32, sha1.New), the rpcx examples' key. */
    private static final byte[] RPCX_EXAMPLE_KEY = HEX.parseHex("5f9d2ef0a6ed0eadb0a23ad75c5e93898821ebca13a778efa8586fc8002ad083");

    private static byte[] plain() {
        byte[] rest = "kcp-go packet with a 16-byte nonce, then crc32".getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[20 + rest.length];
        for (int i = 0; i < 16; i++) {
            p[i] = (byte) i;
        }
        CRC32 crc = new CRC32();
        crc.update(rest);
        Kcp.le32(p, 16, (int) crc.getValue());
        System.arraycopy(rest, 0, p, 20, rest.length);
        return p;
    }

    /** The same packet encrypted by an independent AES-CFB: ours opens it to the same bytes. */
    @Test
    void opensAPacketEncryptedElsewhere() {
        byte[] wire = HEX.parseHex("714e66a960c99d5227fd8511b6764d1d12650f913e7bb1b70ac1b3d353b5f7291e479f9fa00ab0c8"
                + "50f2572173032f016540c003ef82fa4c6439e024934af9ce2544");
        KcpCrypt crypt = KcpCrypt.aesFromPassword("rpcx-key", "rpcx-salt");
        assertTrue(crypt.open(wire, wire.length));
        assertArrayEquals(plain(), wire);
        assertTrue(KcpCrypt.aes(RPCX_EXAMPLE_KEY).open(HEX.parseHex("714e66a960c99d5227fd8511b6764d1d12650f913e7bb1b7"
                + "0ac1b3d353b5f7291e479f9fa00ab0c850f2572173032f016540c003ef82fa4c6439e024934af9ce2544"), 66));
    }

    /** Sealing writes a fresh nonce and the checksum and encrypts; equal packets differ on the wire. */
    @Test
    void sealsWithNonceAndChecksum() {
        KcpCrypt crypt = KcpCrypt.aes(RPCX_EXAMPLE_KEY);
        byte[] a = plain();
        byte[] b = plain();
        crypt.seal(a, a.length);
        crypt.seal(b, b.length);
        assertFalse(Arrays.equals(a, b), "a random nonce makes equal packets differ");
        assertTrue(crypt.open(a, a.length));
        assertArrayEquals(Arrays.copyOfRange(plain(), 20, plain().length), Arrays.copyOfRange(a, 20, a.length));
    }

    /** A flipped bit, a wrong key or a short datagram fails the checksum. */
    @Test
    void dropsTamperedOrForeignPackets() {
        KcpCrypt crypt = KcpCrypt.aes(RPCX_EXAMPLE_KEY);
        byte[] p = plain();
        crypt.seal(p, p.length);
        byte[] flipped = p.clone();
        flipped[40] ^= 1;
        assertFalse(crypt.open(flipped, flipped.length));
        byte[] other = p.clone();
        assertFalse(KcpCrypt.aes(new byte[16]).open(other, other.length));
        assertFalse(crypt.open(new byte[10], 10));
    }

    /** none() keeps the header in clear (Go's NoneBlockCrypt): the checksum still guards the data. */
    @Test
    void noneKeepsTheHeaderInClear() {
        KcpCrypt none = KcpCrypt.none();
        byte[] p = plain();
        none.seal(p, p.length);
        assertArrayEquals(Arrays.copyOfRange(plain(), 20, plain().length), Arrays.copyOfRange(p, 20, p.length));
        CRC32 crc = new CRC32();
        crc.update(p, 20, p.length - 20);
        assertEquals((int) crc.getValue(), Kcp.le32(p, 16));
        assertTrue(none.open(p, p.length));
        p[30] ^= 4;
        assertFalse(none.open(p, p.length));
    }

    @Test
    void refusesBadKeys() {
        assertThrows(IllegalArgumentException.class, () -> KcpCrypt.aes(new byte[15]));
        assertNotEquals(KcpCrypt.aes(new byte[24]).toString(), KcpCrypt.none().toString());
    }
}

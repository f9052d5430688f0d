package rpcx.transport.kcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * kcp-go's packet encryption ({@code kcp.BlockCrypt}), which Go rpcx requires on the {@code kcp} network
 * ({@code server.WithBlockCrypt}, {@code client.Option.Block}). Both ends must use the same cipher and key.
 *
 * <p>Every packet starts with a 16-byte random nonce and the CRC-32 (IEEE) of the rest, little-endian; the whole
 * packet, nonce included, is then encrypted with the block cipher in CFB mode from kcp-go's fixed initial vector,
 * so equal packets never look alike. A packet whose checksum does not match after decryption (a wrong key, a
 * corrupted or foreign datagram) is dropped.
 *
 * <p>{@link #aes} is kcp-go's {@code NewAESBlockCrypt}; {@link #aesFromPassword} derives the key as the rpcx examples
 * do; {@link #none} is {@code NewNoneBlockCrypt} (the header, no encryption). Instances are immutable and
 * thread-safe.
 */
public final class KcpCrypt {
    /** Nonce and checksum in front of every packet. */
    static final int HEADER = 20;
    private static final int NONCE = 16;
    private static final byte[] INITIAL_VECTOR = {(byte) 167, 115, 79, (byte) 156, 18, (byte) 172, 27, 1, (byte) 164, 21,
        (byte) 242, (byte) 193, (byte) 252, 120, (byte) 230, 107};
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Nonces per thread, so sealing takes no lock and reads no /dev/urandom per packet (event loops seal). */
    private static final ThreadLocal<Nonces> NONCES = ThreadLocal.withInitial(Nonces::new);
    /** One cipher object per thread (each use re-initialises it with the key and kcp-go's IV). */
    private static final ThreadLocal<Cipher> CFB = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/CFB/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB is not available in this JDK", e);
        }
    });
    private static final IvParameterSpec IV = new IvParameterSpec(INITIAL_VECTOR);

    private final SecretKeySpec key;
    private final String description;

    private KcpCrypt(SecretKeySpec key, String description) {
        this.key = key;
        this.description = description;
    }

    /**
     * AES in kcp-go's CFB mode: AES-128, -192 or -256 by the key's length (Go's {@code kcp.NewAESBlockCrypt(key)}).
     *
     * @param key 16, 24 or 32 bytes
     * @return the crypt
     * @throws IllegalArgumentException for another key length
     */
    public static KcpCrypt aes(byte[] key) {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            throw new IllegalArgumentException("an AES key has 16, 24 or 32 bytes; got "
                    + (key == null ? "none" : key.length));
        }
        return new KcpCrypt(new SecretKeySpec(key.clone(), "AES"), "aes-" + key.length * 8);
    }

    /**
     * AES-256 with the key {@code PBKDF2(HMAC-SHA1, password, salt, 4096 iterations, 32 bytes)}, as the rpcx examples
     * derive it: {@code pbkdf2.Key([]byte(key), []byte(salt), 4096, 32, sha1.New)} (the examples use
     * {@code "rpcx-key"} and {@code "rpcx-salt"}).
     *
     * @param password the password (UTF-8)
     * @param salt     the salt (UTF-8)
     * @return the crypt
     */
    public static KcpCrypt aesFromPassword(String password, String salt) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1");
            byte[] key = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8),
                    4096, 256)).getEncoded();
            return new KcpCrypt(new SecretKeySpec(key, "AES"), "aes-256 (pbkdf2)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA1 is not available in this JDK", e);
        }
    }

    /**
     * No encryption, the header kept (Go's {@code kcp.NewNoneBlockCrypt}): packets carry the nonce and the checksum
     * in clear, so corrupted datagrams are still dropped.
     *
     * @return the crypt
     */
    public static KcpCrypt none() {
        return new KcpCrypt(null, "none");
    }

    /** Fills the nonce and checksum of {@code packet[0..length)} (data from byte 20 on) and encrypts it in place. */
    void seal(byte[] packet, int length) {
        NONCES.get().next(packet);
        CRC32 crc = new CRC32();
        crc.update(packet, HEADER, length - HEADER);
        Kcp.le32(packet, NONCE, (int) crc.getValue());
        cipher(Cipher.ENCRYPT_MODE, packet, length);
    }

    /**
     * Decrypts {@code packet[0..length)} in place and checks its checksum.
     *
     * @return whether the packet is intact (its data then starts at byte 20)
     */
    boolean open(byte[] packet, int length) {
        if (length < HEADER) {
            return false;
        }
        cipher(Cipher.DECRYPT_MODE, packet, length);
        CRC32 crc = new CRC32();
        crc.update(packet, HEADER, length - HEADER);
        return (int) crc.getValue() == Kcp.le32(packet, NONCE);
    }

    private void cipher(int mode, byte[] packet, int length) {
        if (key == null) {
            return;
        }
        try {
            Cipher c = CFB.get();
            c.init(mode, key, IV);
            c.doFinal(packet, 0, length, packet, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CFB is not available in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "KcpCrypt[" + description + "]";
    }

    /**
     * Unpredictable, non-repeating nonces as kcp-go makes them ({@code nonceAES128}): a counter from a random start,
     * encrypted with AES under a random key of this thread's.
     */
    private static final class Nonces {
        private final Cipher aes;
        private final byte[] counter = new byte[NONCE];

        Nonces() {
            byte[] key = new byte[16];
            RANDOM.nextBytes(key);
            RANDOM.nextBytes(counter);
            try {
                aes = Cipher.getInstance("AES/ECB/NoPadding");
                aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES is not available in this JDK", e);
            }
        }

        /** Writes the next nonce into {@code packet[0..16)}. */
        void next(byte[] packet) {
            for (int i = NONCE - 1; i >= 0 && ++counter[i] == 0; i--) {
                // carry
            }
            try {
                aes.doFinal(counter, 0, NONCE, packet, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES failed", e);
            }
        }
    }
}

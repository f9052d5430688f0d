package rpcx.transport.kcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.FrameLimits;
import rpcx.api.protocol.Message;
import rpcx.api.spi.Connection;
import rpcx.api.spi.Listener;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;
import rpcx.testkit.RecordingHandler;

/**
 * The bytes on the wire, built and read by hand in this test (its own AES-CFB, CRC-32 and header code, not the
 * module's) in kcp-go v5's layout: {@code nonce(16) crc32(4) | fecSeqid(4) fecFlag(2) size(2) | kcp segments}, all
 * encrypted with AES-CFB from kcp-go's initial vector, the key from the rpcx examples' PBKDF2.
 */
class KcpWireTest {
    private static final byte[] IV = {(byte) 167, 115, 79, (byte) 156, 18, (byte) 172, 27, 1, (byte) 164, 21,
        (byte) 242, (byte) 193, (byte) 252, 120, (byte) 230, 107};
    /** Go rpcx's golden frame: request Arith.Mul msgpack {A:10,B:20}. */
    private static final byte[] GOLDEN_REQUEST = HexFormat.of().parseHex(
            "0800003000000000000000000000001f000000054172697468000000034d756c000000000000000782a1410aa14214");

    private static SecretKeySpec key() throws Exception {
        byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                .generateSecret(new PBEKeySpec("rpcx-key".toCharArray(), "rpcx-salt".getBytes(), 4096, 256)).getEncoded();
        return new SecretKeySpec(k, "AES");
    }

    private static byte[] cfb(int mode, byte[] in) throws Exception {
        Cipher c = Cipher.getInstance("AES/CFB/NoPadding");
        c.init(mode, key(), new IvParameterSpec(IV));
        return c.doFinal(in);
    }

    /** A kcp-go data shard carrying one KCP PUSH segment, as a Go client's first packet would look. */
    private static byte[] goClientPacket(int conv, byte[] data) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(20 + 8 + 24 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        b.put(nonce).putInt(0); // crc, filled below
        b.putInt(0).putShort((short) 0xf1).putShort((short) (2 + 24 + data.length)); // FEC data shard 0
        b.putInt(conv).put((byte) 81).put((byte) 0).putShort((short) 32).putInt(1000).putInt(0).putInt(0)
                .putInt(data.length).put(data); // PUSH sn 0, frg 0, wnd 32, ts 1000, una 0
        byte[] plain = b.array();
        CRC32 crc = new CRC32();
        crc.update(plain, 20, plain.length - 20);
        ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).putInt(16, (int) crc.getValue());
        return cfb(Cipher.ENCRYPT_MODE, plain);
    }

    /** Opens a datagram: checks the CRC, returns the bytes after the crypt header. */
    private static ByteBuffer open(ByteBuffer datagram) throws Exception {
        byte[] wire = new byte[datagram.remaining()];
        datagram.get(wire);
        byte[] plain = cfb(Cipher.DECRYPT_MODE, wire);
        CRC32 crc = new CRC32();
        crc.update(plain, 20, plain.length - 20);
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((int) crc.getValue(), b.getInt(16), "the CRC-32 of the packet");
        return b.position(20).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** What a Java client's dial sends first: an FEC data shard 0 with a KCP window probe (WASK) of its conv. */
    @Test
    void dialSendsAWindowProbeInKcpGoFraming() throws Exception {
        try (DatagramChannel fakeServer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             Transport client = new KcpTransportProvider().create(KcpTests.kcp(TransportConfig.DEFAULT
                     .withConnectTimeout(Duration.ofMillis(500))))) {
            int port = ((InetSocketAddress) fakeServer.getLocalAddress()).getPort();
            CompletableFuture<Connection> dial = client.connect("kcp", "127.0.0.1:" + port, new RecordingHandler());
            ByteBuffer datagram = ByteBuffer.allocate(2048);
            fakeServer.receive(datagram);
            ByteBuffer p = open(datagram.flip());
            assertEquals(0, p.getInt(0), "FEC seqid of the first shard");
            assertEquals(0xf1, p.getShort(4) & 0xffff, "FEC data shard");
            assertEquals(2 + 24, p.getShort(6) & 0xffff, "size: the size field and one 24-byte segment");
            assertEquals(83, p.get(8 + 4), "KCP command WASK");
            assertEquals(128, p.getShort(8 + 6) & 0xffff, "our receive window");
            assertEquals(0, p.getInt(8 + 20), "no data");
            assertEquals(8 + 24, p.remaining());
            // nobody answers: the dial fails after its connect timeout
            assertTrue(dial.handle((c, e) -> e != null).get(5, TimeUnit.SECONDS));
        }
    }

    /** A kcp-go data shard carrying one KCP window-size segment (WINS): the answer to a dial's probe. */
    private static byte[] windowSizePacket(int conv) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(20 + 8 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[16]).putInt(0);
        b.putInt(0).putShort((short) 0xf1).putShort((short) (2 + 24));
        b.putInt(conv).put((byte) 84).put((byte) 0).putShort((short) 32).putInt(0).putInt(0).putInt(0).putInt(0);
        byte[] plain = b.array();
        CRC32 crc = new CRC32();
        crc.update(plain, 20, plain.length - 20);
        ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).putInt(16, (int) crc.getValue());
        return cfb(Cipher.ENCRYPT_MODE, plain);
    }

    /**
     * A hand-written server answers the dial's probe, so the dial completes; closing the connection then sends the
     * close notice in newer kcp-go's out-of-band layout: seqid 0xffffffff, flag 0xf3, size, the conversation id, and
     * {@code rpcx:close} (kcp-go v5.4 drops the unknown flag).
     */
    @Test
    void closeSendsAnOutOfBandCloseNotice() throws Exception {
        try (DatagramChannel fakeServer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             Transport client = new KcpTransportProvider().create(KcpTests.kcp(TransportConfig.DEFAULT))) {
            int port = ((InetSocketAddress) fakeServer.getLocalAddress()).getPort();
            CompletableFuture<Connection> dial = client.connect("kcp", "127.0.0.1:" + port, new RecordingHandler());
            ByteBuffer datagram = ByteBuffer.allocate(2048);
            java.net.SocketAddress from = fakeServer.receive(datagram);
            int conv = open(datagram.flip()).getInt(8);
            fakeServer.send(ByteBuffer.wrap(windowSizePacket(conv)), from);
            Connection c = dial.get(5, TimeUnit.SECONDS);
            c.close();
            fakeServer.configureBlocking(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            ByteBuffer notice = null;
            while (notice == null && System.nanoTime() < deadline) {
                datagram.clear();
                if (fakeServer.receive(datagram) == null) {
                    Thread.sleep(5);
                    continue;
                }
                ByteBuffer p = open(datagram.flip());
                if ((p.getShort(4) & 0xffff) == 0xf3) {
                    notice = p;
                }
            }
            assertTrue(notice != null, "a close notice arrived");
            assertEquals(-1, notice.getInt(0), "seqid 0xffffffff, as kcp-go's out-of-band packets");
            assertEquals(2 + 4 + 10, notice.getShort(6) & 0xffff, "size: itself, the conv and the payload");
            assertEquals(conv, notice.getInt(8));
            byte[] payload = new byte[10];
            notice.get(12, payload);
            assertEquals("rpcx:close", new String(payload, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(22, notice.remaining());
            c.closeFuture().get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A request in Go's format, sent by hand: the Java server acknowledges it and answers with a PUSH segment whose
     * data is the echoed frame, under the same FEC and crypt layers.
     */
    @Test
    void serverAnswersAHandBuiltGoClientPacket() throws Exception {
        RecordingHandler server = RecordingHandler.echo();
        try (Transport t = new KcpTransportProvider().create(KcpTests.kcp(TransportConfig.DEFAULT));
             DatagramChannel goClient = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Listener listener = t.listen("kcp", "127.0.0.1:0", server).get(5, TimeUnit.SECONDS);
            int conv = 0x5eed1234;
            goClient.send(ByteBuffer.wrap(goClientPacket(conv, GOLDEN_REQUEST)), listener.localAddress());
            Message received = server.nextMessage(Duration.ofSeconds(5));
            assertEquals("Arith", received.servicePath());
            assertEquals("Mul", received.serviceMethod());

            goClient.socket().setSoTimeout(5000);
            boolean acked = false;
            byte[] reply = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((!acked || reply == null) && System.nanoTime() < deadline) {
                ByteBuffer datagram = ByteBuffer.allocate(2048);
                goClient.configureBlocking(true);
                try {
                    goClient.receive(datagram);
                } catch (SocketTimeoutException e) {
                    break;
                }
                ByteBuffer p = open(datagram.flip());
                int flag = p.getShort(4) & 0xffff;
                if (flag == 0xf2) {
                    continue; // a parity shard
                }
                assertEquals(0xf1, flag);
                int size = p.getShort(6) & 0xffff;
                int at = 8;
                while (at + 24 <= 6 + size) {
                    assertEquals(conv, p.getInt(at), "the server answers in our conversation");
                    int cmd = p.get(at + 4);
                    int sn = p.getInt(at + 12);
                    int len = p.getInt(at + 20);
                    if (cmd == 82 && sn == 0) {
                        acked = true;
                        assertEquals(1000, p.getInt(at + 8), "an ACK echoes the segment's timestamp");
                    } else if (cmd == 81 && sn == 0) {
                        reply = new byte[len];
                        p.get(at + 24, reply);
                        assertEquals(0, p.get(at + 5), "frg 0: stream mode");
                        assertEquals(1, p.getInt(at + 16), "una: our segment 0 arrived");
                    }
                    at += 24 + len;
                }
            }
            assertTrue(acked, "the server acknowledged segment 0");
            assertTrue(reply != null, "the server answered");
            Message response = FrameCodec.decode(ByteBuffer.wrap(reply), FrameLimits.DEFAULT);
            assertTrue(response.isResponse());
            assertEquals("Arith", response.servicePath());
            assertArrayEquals(received.payload(), response.payload());
        }
    }
}

package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rpcx.api.Server;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.testkit.GoldenFrames;

/** {@code rpcx dump} on Go's golden frames (hex), a hand-built pcap capture, and as a proxy before a real server. */
class RpcxDumpTest {
    private static long count(String text, String part) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(part)).count();
    }

    @Test
    void decodesEveryGoldenFrame() {
        Cli.Run r = Cli.rpcx("dump", "--hex-file", GoldenFrames.file().toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(GoldenFrames.all().size(), count(r.out(), "request ") + count(r.out(), "response "), r.out());
        assertTrue(r.out().contains("request seq=0 Arith.Mul serialize=msgpack compress=none status=normal version=0\n"
                + "  metadata: {}\n  payload 7 bytes: {\"A\":10,\"B\":20}"), r.out());
        assertTrue(r.out().contains("response seq=0 Arith.Mul serialize=msgpack compress=none status=normal version=0\n"
                + "  metadata: {}\n  payload 5 bytes: {\"C\":200}"), r.out());
        assertTrue(r.out().contains("request seq=12345 Arith.Mul serialize=msgpack compress=none status=normal version=0\n"
                + "  metadata: {\"auth\":\"token123\"}"), r.out());
        assertTrue(r.out().contains("  payload 15 bytes: {\"A\":10,\"B\":20}"), "json shown as its text:\n" + r.out());
        assertTrue(r.out().contains("{\"UID\":1,\"AddTime\":14990093,\"UserType\":2,"), r.out());
    }

    @Test
    void garbageIsReportedAfterTheGoodFrames() {
        String good = GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}", 0).hex();
        Cli.Run r = Cli.rpcx("dump", "--hex", good + " 474554202f20485454502f312e310d0a486f73743a20780d0a0d0a");
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("request seq=0 Arith.Mul"), r.out());
        assertTrue(r.out().contains("not an rpcx frame: wrong magic number 0x47"), r.out());
        Cli.Run cut = Cli.rpcx("dump", "--hex", good.substring(0, 40));
        assertEquals(1, cut.code());
        assertTrue(cut.out().contains("unfinished frame"), cut.out());
        assertEquals(2, Cli.rpcx("dump", "--hex", "0x08zz").code());
        assertEquals(2, Cli.rpcx("dump").code(), "a source is required");
    }

    /** A capture written here byte by byte: Ethernet, IPv4, TCP; the request in two segments, one sent twice. */
    @Test
    void readsFramesOutOfAPcapCapture(@TempDir Path dir) throws Exception {
        byte[] request = GoldenFrames.find("request  Arith.Mul msgpack {A:10,B:20}", 0).bytes();
        byte[] response = GoldenFrames.find("response Arith.Mul msgpack {A:10,B:20}", 0).bytes();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream pcap = new DataOutputStream(file);
        pcap.writeInt(0xa1b2c3d4);
        pcap.writeShort(2);
        pcap.writeShort(4);
        pcap.writeInt(0);
        pcap.writeInt(0);
        pcap.writeInt(65535);
        pcap.writeInt(1); // Ethernet
        byte[] client = {10, 0, 0, 1};
        byte[] server = {10, 0, 0, 2};
        record(pcap, packet(client, 50000, server, 8972, 1000, true, new byte[0]));
        record(pcap, packet(client, 50000, server, 8972, 1001, false, Arrays.copyOfRange(request, 0, 20)));
        record(pcap, packet(client, 50000, server, 8972, 1001, false, Arrays.copyOfRange(request, 0, 20))); // again
        record(pcap, packet(client, 50000, server, 8972, 1021, false, Arrays.copyOfRange(request, 20, request.length)));
        record(pcap, packet(client, 50001, server, 80, 7, false, "GET / HTTP/1.1\r\n\r\n".getBytes()));
        record(pcap, packet(server, 8972, client, 50000, 5000, false, response));
        Path capture = dir.resolve("rpcx.pcap");
        Files.write(capture, file.toByteArray());

        Cli.Run r = Cli.rpcx("dump", "--pcap", capture.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("10.0.0.1:50000 -> 10.0.0.2:8972\nrequest seq=0 Arith.Mul"), r.out());
        assertTrue(r.out().contains("10.0.0.2:8972 -> 10.0.0.1:50000\nresponse seq=0 Arith.Mul"), r.out());
        assertEquals(1, count(r.out(), "request "), "the retransmitted segment is not read twice:\n" + r.out());
        assertTrue(!r.out().contains("HTTP"), "other flows are left out");
        Cli.Run only = Cli.rpcx("dump", "--pcap", capture.toString(), "--port", "80");
        assertEquals(1, only.code());
        assertTrue(only.out().contains("10.0.0.1:50001 -> 10.0.0.2:80: not rpcx"), only.out());
        assertEquals(3, Cli.rpcx("dump", "--pcap", dir.resolve("missing.pcap").toString()).code());
    }

    private static void record(DataOutputStream pcap, byte[] packet) throws IOException {
        pcap.writeInt(1);
        pcap.writeInt(0);
        pcap.writeInt(packet.length);
        pcap.writeInt(packet.length);
        pcap.write(packet);
    }

    private static byte[] packet(byte[] src, int srcPort, byte[] dst, int dstPort, long seq, boolean syn, byte[] data)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream p = new DataOutputStream(b);
        p.write(new byte[12]); // MAC addresses
        p.writeShort(0x0800);
        p.writeByte(0x45);
        p.writeByte(0);
        p.writeShort(20 + 20 + data.length);
        p.writeInt(0);
        p.writeByte(64);
        p.writeByte(6); // TCP
        p.writeShort(0);
        p.write(src);
        p.write(dst);
        p.writeShort(srcPort);
        p.writeShort(dstPort);
        p.writeInt((int) seq);
        p.writeInt(0);
        p.writeByte(5 << 4);
        p.writeByte(syn ? 0x02 : 0x18);
        p.writeShort(65535);
        p.writeInt(0);
        p.write(data);
        return b.toByteArray();
    }

    /** As a proxy before the member server: a call through it is printed both ways and still answered. */
    @Test
    void printsTheFramesThroughItsProxy() throws Exception {
        try (Server server = MemberServer.configure(Server.create())) {
            String target = server.listen("tcp", "127.0.0.1:0").substring("tcp@".length());
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            CompletableFuture<Cli.Run> dump = CompletableFuture.supplyAsync(() ->
                    Cli.rpcx("dump", "--proxy", "127.0.0.1:" + port, "--to", target, "--frames", "2"));
            Cli.Run call = null;
            for (int i = 0; i < 50 && (call == null || call.code() == Rpcx.UNREACHABLE); i++) {
                Thread.sleep(100); // until the proxy listens
                call = Cli.rpcx("call", "tcp@127.0.0.1:" + port, "ServiceUser.UserInfo", "{\"Uid\":999}");
            }
            assertEquals(0, call.code(), call.err());
            assertTrue(call.out().contains("\"UserName\":\"Joke\""), call.out());
            Cli.Run r = dump.get(10, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(" -> " + target + "\nrequest seq="), r.out());
            assertTrue(r.out().contains(target + " -> 127.0.0.1:"), r.out());
            assertTrue(r.out().contains("request seq=") && r.out().contains("ServiceUser.UserInfo serialize=msgpack"), r.out());
            assertTrue(r.out().contains(" bytes: {\"Uid\":999}"), r.out());
            assertTrue(r.out().contains("response seq=") && r.out().contains("\"UserName\":\"Joke\""), r.out());
        }
    }
}

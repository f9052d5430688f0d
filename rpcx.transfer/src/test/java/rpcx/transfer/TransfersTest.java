package rpcx.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import rpcx.api.ClientOptions;
import rpcx.api.Codecs;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServiceException;
import rpcx.api.XClient;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Codec;

/** Uploads, downloads and streams through real side channels beside a real rpcx server over TCP. */
class TransfersTest {
    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static XClient client(String service, String address) {
        return XClient.create(service, FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""),
                ClientOptions.defaults());
    }

    @Test
    void uploadsAndDownloadsFilesByteForByte() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 17, 1);
        CompletableFuture<FileTransferArgs> uploaded = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Server server = Server.create();
             FileTransfer files = FileTransfer.start("127.0.0.1:0", (conn, args) -> {
                 received.write(conn.getInputStream().readAllBytes());
                 uploaded.complete(args);
             }, (conn, args) -> {
                 OutputStream out = conn.getOutputStream();
                 out.write(args.fileName().equals("big.bin") ? content : new byte[0]);
             }, 100).enable(server);
             XClient client = client(FileTransfer.SERVICE_NAME, server.listen("tcp", "127.0.0.1:0"))) {
            Path file = Files.createTempDirectory("rpcx-upload").resolve("upload.bin");
            Files.write(file, content);
            Transfers.sendFile(client, file, 0, Map.of("user", "joke"));
            FileTransferArgs args = uploaded.get(10, TimeUnit.SECONDS);
            assertEquals(new FileTransferArgs("upload.bin", content.length, Map.of("user", "joke")), args);
            assertArrayEquals(content, received.toByteArray());

            ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
            assertEquals(content.length, Transfers.downloadFile(client, "big.bin", downloaded, null));
            assertArrayEquals(content, downloaded.toByteArray());
            Files.delete(file);
        }
    }

    @Test
    void streamsBothWaysAndTheAcceptorCanRefuse() throws Exception {
        try (Server server = Server.create();
             StreamService streams = StreamService.start("127.0.0.1:0", (conn, args) -> {
                 BufferedReader in = new BufferedReader(new InputStreamReader(conn.getInputStream(), StandardCharsets.UTF_8));
                 OutputStream out = conn.getOutputStream();
                 for (String line = in.readLine(); line != null; line = in.readLine()) {
                     out.write((args.meta().get("prefix") + line.toUpperCase() + "\n").getBytes(StandardCharsets.UTF_8));
                 }
             }, (ctx, args) -> !"deny".equals(args.meta().get("mode")), 100).enable(server);
             XClient client = client(StreamService.SERVICE_NAME, server.listen("tcp", "127.0.0.1:0"))) {
            try (Socket s = Transfers.stream(client, Map.of("prefix", "> ", "mode", "ok"))) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                for (String word : new String[] {"hello", "rpcx"}) {
                    s.getOutputStream().write((word + "\n").getBytes(StandardCharsets.UTF_8));
                    assertEquals("> " + word.toUpperCase(), in.readLine());
                }
            }
            ServiceException refused = assertThrows(ServiceException.class,
                    () -> Transfers.stream(client, Map.of("prefix", "", "mode", "deny")));
            assertEquals(StreamService.REFUSED, refused.getMessage());
        }
    }

    @Test
    void aConnectionWithoutAValidTokenIsClosedUnserved() throws Exception {
        AtomicReference<String> served = new AtomicReference<>();
        try (StreamService streams = StreamService.start("127.0.0.1:0", (conn, args) -> served.set("served"), null, 1)) {
            InetSocketAddress side = SideChannel.dialAddress(streams.address());
            try (Socket s = new Socket(side.getAddress(), side.getPort())) {
                s.getOutputStream().write(new byte[SideChannel.TOKEN_LENGTH]);
                s.setSoTimeout(10_000);
                assertEquals(-1, s.getInputStream().read(), "closed by the server");
            }
            // waitNum 1: a second token pushes the first out
            StreamService.Service service = streams.new Service();
            TokenReply first = service.stream(null, new StreamArgs(Map.of()));
            TokenReply second = service.stream(null, new StreamArgs(Map.of()));
            try (Socket s = new Socket(side.getAddress(), side.getPort())) {
                s.getOutputStream().write(first.token());
                s.setSoTimeout(10_000);
                assertEquals(-1, s.getInputStream().read());
            }
            assertNull(served.get(), "no handler ran for a token that is not waiting");
            try (Socket s = new Socket(side.getAddress(), side.getPort())) {
                s.getOutputStream().write(second.token());
                s.setSoTimeout(10_000);
                assertEquals(-1, s.getInputStream().read(), "served, then closed when the handler returned");
            }
            assertEquals("served", served.get());
        }
    }

    @Test
    void theRateLimitPacesTheUploadAfterTheFirstSecondsWorth() throws Exception {
        byte[] content = random(30 * 1024, 2);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        try (Server server = Server.create();
             FileTransfer files = FileTransfer.start("127.0.0.1:0", (conn, args) -> received.complete(conn.getInputStream().readAllBytes()),
                     null, 10).enable(server);
             XClient client = client(FileTransfer.SERVICE_NAME, server.listen("tcp", "127.0.0.1:0"))) {
            Path file = Files.createTempFile("rpcx-paced", ".bin");
            Files.write(file, content);
            long start = System.nanoTime();
            Transfers.sendFile(client, file, 10 * 1024, null); // 10 KiB at once, then 20 KiB at 10 KiB/s
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 1900, "paced: took " + ms + " ms");
            assertArrayEquals(content, received.get(10, TimeUnit.SECONDS));
            Files.delete(file);
        }
    }

    @Test
    void theAdvertisedAddressIsHandedOut() {
        try (FileTransfer files = FileTransfer.start(":0", null, null, 10).advertise("files.example.com:8973")) {
            TokenReply reply = files.new Service().transferFile(new FileTransferArgs("a", 1, null));
            assertEquals("files.example.com:8973", reply.addr());
            assertEquals(SideChannel.TOKEN_LENGTH, reply.token().length);
        }
        try (FileTransfer files = FileTransfer.start(":0", null, null, 10)) {
            assertTrue(files.address().matches(":\\d+"), "Go's form for every interface: " + files.address());
            assertEquals("127.0.0.1", SideChannel.dialAddress(files.address()).getAddress().getHostAddress(),
                    "dialled on loopback, as Go dials :port");
        }
        assertThrows(TransferException.class, () -> FileTransfer.start("nonsense", null, null, 10));
    }

    /** The call's structs as Go's msgpack writes them: Go field names, FileSize an int64, Token a bin. */
    @Test
    void theCallsStructsAreGosOnTheWire() {
        Codec msgpack = Codecs.lookup(SerializeType.MSGPACK);
        byte[] args = msgpack.encode(new FileTransferArgs("a.txt", 5, Map.of("k", "v")));
        assertEquals("83" + "a846696c654e616d65" + "a5612e747874" + "a846696c6553697a65" + "d30000000000000005"
                + "a44d657461" + "81a16ba176", HexFormat.of().formatHex(args));
        byte[] token = random(32, 3);
        String addr = "127.0.0.1:8973";
        byte[] goReply = HexFormat.of().parseHex("82" + "a5546f6b656e" + "c420" + HexFormat.of().formatHex(token)
                + "a441646472" + "ae" + HexFormat.of().formatHex(addr.getBytes(StandardCharsets.US_ASCII)));
        TokenReply reply = (TokenReply) msgpack.decode(goReply, TokenReply.class);
        assertArrayEquals(token, reply.token());
        assertEquals(addr, reply.addr());
        Codec json = Codecs.lookup(SerializeType.JSON);
        assertEquals("{\"file_name\":\"a.txt\",\"file_size\":5,\"meta\":{\"k\":\"v\"}}",
                new String(json.encode(new FileTransferArgs("a.txt", 5, Map.of("k", "v"))), StandardCharsets.UTF_8));
    }
}

package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import rpcx.api.CallContext;
import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientConnection;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.RequestLimitException;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.ServerPlugin;
import rpcx.api.ServiceException;
import rpcx.api.TransportException;
import rpcx.api.UnauthenticatedException;
import rpcx.api.XClient;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The server features over real TCP (Netty): auth closing a refused connection, rate limits keeping it, pushes,
 * connection hooks, a graceful shutdown under load; and SIGTERM to separate JVMs: the member server and a server
 * with a slow call in flight shut down gracefully and exit 0.
 */
class ServerFeaturesTcpTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);

    /** Raw-bytes services. */
    public static final class Svc {
        final AtomicInteger started = new AtomicInteger();
        volatile Server server;

        public byte[] echo(byte[] in) {
            return in;
        }

        public byte[] slow(byte[] in) throws InterruptedException {
            started.incrementAndGet();
            Thread.sleep(in.length == 0 ? 0 : Math.floorMod(in[0], 20));
            return in;
        }

        public byte[] subscribe(CallContext ctx, byte[] topic) {
            server.sendMessage(ctx.connection(), "Push", "Notify", Map.of("topic", s(topic)), topic).join();
            return b("subscribed");
        }
    }

    /** A child JVM's main: a server with one slow method, shut down gracefully on SIGTERM. */
    public static final class SlowServerMain {
        /** The slow service. */
        public static final class Slow {
            public byte[] work(byte[] in) throws InterruptedException {
                System.out.println("started " + new String(in, StandardCharsets.UTF_8));
                Thread.sleep(1500);
                System.out.println("finished " + new String(in, StandardCharsets.UTF_8));
                return in;
            }
        }

        public static void main(String[] args) throws InterruptedException {
            try (Server s = Server.create()) {
                s.register(new Slow());
                s.onShutdown(() -> System.out.println("onShutdown hook ran"));
                s.shutdownOnSignal(Duration.ofSeconds(10));
                s.serve("tcp", args[0]);
            }
            System.out.println("main returned");
        }
    }

    private Server server;
    private Svc svc;

    @BeforeEach
    void create() {
        server = Server.create();
        svc = new Svc();
        svc.server = server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void refusedCredentialsGetTheErrorTextAndTheTcpConnectionIsClosed() throws Exception {
        server.authFunction((ctx, req, token) -> {
            if (!token.equals("bearer ok")) {
                throw new UnauthenticatedException("invalid token");
            }
        }).register(svc);
        String address = server.listen("tcp", "127.0.0.1:0");
        try (XClient x = XClient.create("Svc", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""), RAW)
                .auth("bearer ok")) {
            assertArrayEquals(b("a"), x.call("Echo", b("a"), byte[].class));
        }
        try (Client c = Client.connect(address, RAW)) {
            UnauthenticatedException e = assertThrows(UnauthenticatedException.class, () -> c.call("Svc", "Echo", b("a"), byte[].class));
            assertEquals("invalid token", e.getMessage());
            c.closeFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRateLimitedRequestIsRefusedAndTheTcpConnectionStays() throws Exception {
        AtomicInteger n = new AtomicInteger();
        server.addPlugin(new ServerPlugin() {
            @Override
            public Message postReadRequest(ClientConnection connection, Message request) {
                if (n.incrementAndGet() == 2) {
                    throw new RequestLimitException();
                }
                return request;
            }
        }).register(svc);
        try (Client c = Client.connect(server.listen("tcp", "127.0.0.1:0"), RAW)) {
            assertArrayEquals(b("1"), c.call("Svc", "Echo", b("1"), byte[].class));
            assertEquals(RequestLimitException.REACHED,
                    assertThrows(ServiceException.class, () -> c.call("Svc", "Echo", b("2"), byte[].class)).getMessage());
            assertArrayEquals(b("3"), c.call("Svc", "Echo", b("3"), byte[].class));
            assertTrue(c.isOpen());
        }
    }

    @Test
    void aServicePushesToItsCallerOverTcp() throws Exception {
        List<String> hooks = new CopyOnWriteArrayList<>();
        server.addPlugin(new ServerPlugin() {
            @Override
            public boolean connectionAccepted(ClientConnection connection) {
                assertInstanceOf(InetSocketAddress.class, connection.remoteAddress());
                hooks.add("accepted " + connection.id());
                return true;
            }

            @Override
            public void connectionClosed(ClientConnection connection) {
                hooks.add("closed " + connection.id());
            }

            @Override
            public void postWriteRequest(ClientConnection connection, Message push, Throwable error) {
                hooks.add("pushed " + push.seq() + (error == null ? "" : " " + error));
            }
        }).register(svc);
        String address = server.listen("tcp", "127.0.0.1:0");
        LinkedBlockingQueue<Message> pushes = new LinkedBlockingQueue<>();
        try (XClient x = XClient.create("Svc", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""),
                RAW.withServerMessageHandler(pushes::add))) {
            assertArrayEquals(b("subscribed"), x.call("Subscribe", b("news"), byte[].class));
            Message push = pushes.poll(5, TimeUnit.SECONDS);
            assertNotNull(push);
            assertEquals("Push.Notify", push.servicePath() + "." + push.serviceMethod());
            assertEquals(Map.of("topic", "news"), push.metadata());
            assertArrayEquals(b("news"), push.payload());
            assertEquals(1, push.seq());
            assertEquals(1, server.clientConnections().size());
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!hooks.contains("closed 1") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(List.of("accepted 1", "pushed 1", "closed 1"), hooks);
    }

    @Test
    void aShutdownWithFiveHundredCallsInFlightOverTcpEndsEachOne() throws Exception {
        List<String> unregistered = new CopyOnWriteArrayList<>();
        AtomicInteger hooks = new AtomicInteger();
        server.addPlugin(new ServerPlugin() {
            @Override
            public void unregister(String name) {
                unregistered.add(name);
            }
        }).register(svc).onShutdown(hooks::incrementAndGet);
        String address = server.listen("tcp", "127.0.0.1:0");
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(Client.connect(address, RAW));
        }
        try {
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                calls.add(clients.get(i % 4).callAsync("Svc", "Slow", new byte[] {(byte) i, (byte) (i >> 8)}, byte[].class, CallOptions.NONE));
            }
            while (svc.started.get() < 50) {
                Thread.sleep(1);
            }
            CompletableFuture<Void> done = server.shutdown(Duration.ofSeconds(20));
            int completed = 0;
            for (int i = 0; i < 500; i++) {
                try {
                    assertArrayEquals(new byte[] {(byte) i, (byte) (i >> 8)}, calls.get(i).get(20, TimeUnit.SECONDS));
                    completed++;
                } catch (ExecutionException e) {
                    assertInstanceOf(TransportException.class, e.getCause(), "call " + i);
                    assertTrue(e.getCause().getMessage().contains("shutting down"), e.getCause().getMessage());
                } catch (TimeoutException e) {
                    throw new AssertionError("call " + i + " hangs");
                }
            }
            done.get(20, TimeUnit.SECONDS);
            assertEquals(svc.started.get(), completed, "every call that started completed, the others were refused");
            assertEquals(1, hooks.get());
            assertEquals(List.of("Svc"), unregistered);
            for (Client c : clients) {
                c.closeFuture().get(5, TimeUnit.SECONDS);
            }
        } finally {
            clients.forEach(Client::close);
        }
    }

    // ---------------------------------------------------------------- SIGTERM to separate JVMs

    @Test
    void sigtermShutsTheMemberServerDownGracefullyAndItExitsZero() throws Exception {
        int port = SeparateJvmTest.freePort();
        try (ChildJvm jvm = ChildJvm.modulePath("rpcx.examples.member", "rpcx.examples.member.cmd.MemberServer",
                "-addr", "127.0.0.1:" + port)) {
            jvm.awaitLine("listening on tcp@127.0.0.1:" + port, 30);
            try (Client c = Client.connect("tcp@127.0.0.1:" + port, ClientOptions.defaults())) {
                List<CompletableFuture<Reply>> calls = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    calls.add(c.callAsync("ServiceUser", "UserInfo", new Args(999), Reply.class, CallOptions.NONE));
                }
                calls.get(0).get(10, TimeUnit.SECONDS);
                jvm.signal("TERM");
                int completed = 0;
                for (CompletableFuture<Reply> call : calls) {
                    try {
                        assertEquals(999, call.get(20, TimeUnit.SECONDS).user().uid());
                        completed++;
                    } catch (ExecutionException e) {
                        assertInstanceOf(TransportException.class, e.getCause()); // refused while shutting down
                    }
                }
                assertTrue(completed >= 1);
                assertEquals(0, jvm.awaitExit(30), jvm.output());
            }
            jvm.awaitLine("received SIGTERM: graceful shutdown", 1);
            jvm.awaitLine("shutdown end: graceful shutdown complete", 1);
        }
    }

    @Test
    void sigtermLetsTheCallInFlightFinishThenTheJvmExitsZero() throws Exception {
        int port = SeparateJvmTest.freePort();
        Path log = Files.createTempFile("rpcx-sigterm", ".log");
        String cp = ChildJvm.MODULES + File.separator + "*" + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(ChildJvm.java(), "-cp", cp, SlowServerMain.class.getName(), "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(log, p, "listening on tcp@127.0.0.1:" + port);
            try (Client c = Client.connect("tcp@127.0.0.1:" + port, RAW)) {
                CompletableFuture<byte[]> inFlight = c.callAsync("Slow", "Work", b("x"), byte[].class, CallOptions.NONE);
                awaitLine(log, p, "started x");
                p.destroy(); // SIGTERM
                awaitLine(log, p, "shutdown begin");
                TransportException refused = assertThrows(TransportException.class, () -> c.call("Slow", "Work", b("late"), byte[].class));
                assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
                assertArrayEquals(b("x"), inFlight.get(15, TimeUnit.SECONDS), "the call in flight completes");
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM exits");
                String out = Files.readString(log);
                assertEquals(0, p.exitValue(), out);
                List<String> order = List.of("received SIGTERM: graceful shutdown", "shutdown begin", "finished x",
                        "onShutdown hook ran", "shutdown end: graceful shutdown complete");
                int at = -1;
                for (String step : order) {
                    int i = out.indexOf(step);
                    assertTrue(i > at, "'" + step + "' is not where expected in:\n" + out);
                    at = i;
                }
                assertFalse(out.contains("started late"), out);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    private static void awaitLine(Path log, Process p, String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String out = Files.readString(log);
            if (out.contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the child exited (" + p.exitValue() + ") before '" + text + "':\n" + out);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' within 30 s:\n" + Files.readString(log));
    }
}

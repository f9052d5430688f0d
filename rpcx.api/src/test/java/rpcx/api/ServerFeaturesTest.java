package rpcx.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import rpcx.api.internal.Providers;
import rpcx.api.protocol.FrameCodec;
import rpcx.api.protocol.Message;
import rpcx.api.protocol.SerializeType;
import rpcx.api.spi.Connection;
import rpcx.api.spi.ConnectionHandler;
import rpcx.api.spi.Transport;
import rpcx.api.spi.TransportConfig;

/**
 * The server's Go-side features over the in-memory transport: plugins and their error rules, auth, rate limits,
 * custom error texts, server pushes, graceful shutdown with hooks.
 */
class ServerFeaturesTest {
    private static final ClientOptions RAW = ClientOptions.defaults().withSerializeType(SerializeType.NONE);

    /** Raw-bytes service. */
    public static final class Svc {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final List<ClientConnection> seen = new CopyOnWriteArrayList<>();

        public byte[] echo(CallContext ctx, byte[] in) {
            seen.add(ctx.connection());
            return in;
        }

        public byte[] fail(byte[] in) {
            throw new ServiceException("divide by zero");
        }

        public byte[] slow(byte[] in) throws InterruptedException {
            started.incrementAndGet();
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(30));
                return in;
            } finally {
                finished.incrementAndGet();
            }
        }

        public byte[] block(byte[] in) throws InterruptedException {
            started.incrementAndGet();
            release.await(20, TimeUnit.SECONDS);
            finished.incrementAndGet();
            return in;
        }
    }

    /** Records every hook as "hook:detail". */
    static class Recorder implements ServerPlugin {
        final String name;
        final List<String> events = new CopyOnWriteArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        void add(String e) {
            events.add(e);
        }

        @Override
        public void register(String service, Object rcvr, String metadata) {
            add("register:" + service + ":" + metadata);
        }

        @Override
        public void unregister(String service) {
            add("unregister:" + service);
        }

        @Override
        public void registerFunction(String servicePath, String fn, Object function, String metadata) {
            add("registerFunction:" + servicePath + "." + fn + ":" + metadata);
        }

        @Override
        public boolean connectionAccepted(ClientConnection connection) {
            add("connectionAccepted:" + connection.id());
            return true;
        }

        @Override
        public void connectionClosed(ClientConnection connection) {
            add("connectionClosed:" + connection.id());
        }

        @Override
        public void preReadRequest(ClientConnection connection) {
            add("preReadRequest");
        }

        @Override
        public Message postReadRequest(ClientConnection connection, Message request) {
            add("postReadRequest:" + request.serviceMethod());
            return request;
        }

        @Override
        public void heartbeat(ClientConnection connection, Message request) {
            add("heartbeat");
        }

        @Override
        public void preHandleRequest(CallContext context, Message request) {
            add("preHandleRequest:" + request.serviceMethod());
        }

        @Override
        public Object preCall(CallContext context, String servicePath, String method, Object args) {
            add("preCall:" + servicePath + "." + method);
            return args;
        }

        @Override
        public Object postCall(CallContext context, String servicePath, String method, Object args, Object reply, Throwable error) {
            add("postCall:" + servicePath + "." + method + ":" + (error == null ? "ok" : error.getMessage()));
            return reply;
        }

        @Override
        public void preWriteResponse(CallContext context, Message request, Message response, Throwable error) {
            add("preWriteResponse:" + request.serviceMethod() + ":" + (response == null ? "none" : response.isError() ? "error" : "ok"));
        }

        @Override
        public void postWriteResponse(CallContext context, Message request, Message response, Throwable error) {
            add("postWriteResponse:" + request.serviceMethod());
        }

        @Override
        public void preWriteRequest(ClientConnection connection, Message push) {
            add("preWriteRequest:" + push.serviceMethod());
        }

        @Override
        public void postWriteRequest(ClientConnection connection, Message push, Throwable error) {
            add("postWriteRequest:" + push.serviceMethod() + ":" + (error == null ? "ok" : "failed"));
        }
    }

    private Server server;
    private Svc svc;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void create() {
        server = Server.create();
        svc = new Svc();
    }

    @AfterEach
    void stop() throws Exception {
        svc.release.countDown();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        server.close();
    }

    private String start() {
        return server.listen("memu", "");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A raw connection to the server whose received frames land in a queue. */
    private Connection raw(String address, LinkedBlockingQueue<Message> in) {
        Transport t = Providers.transport("memu").create(TransportConfig.DEFAULT);
        closeables.add(t);
        return t.connect("memu", ServerNode.of(address).hostAndPort(), new ConnectionHandler() {
            @Override
            public void onMessage(Connection connection, Message message) {
                in.add(message);
            }
        }).join();
    }

    // ------------------------------------------------------------------ plugins

    @Test
    void everyHookFiresOnceInGosOrder() throws Exception {
        Recorder r = new Recorder("r");
        server.addPlugin(r).authFunction((ctx, req, token) -> r.add("auth:" + token));
        server.register("Svc", svc, "weight=7");
        server.registerFunction("Fn", "Twice", byte[].class, (ctx, in) -> in, "group=a");
        assertEquals(List.of("register:Svc:weight=7", "registerFunction:Fn.Twice:group=a"), r.events);
        r.events.clear();
        String address = start();
        long id;
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("x"), c.call("Svc", "Echo", b("x"), byte[].class));
            await(() -> r.events.contains("postWriteResponse:Echo"), "postWriteResponse");
            id = server.clientConnections().get(0).id();
            assertEquals(List.of("connectionAccepted:" + id, "preReadRequest", "postReadRequest:Echo", "auth:", "preHandleRequest:Echo",
                    "preCall:Svc.Echo", "postCall:Svc.Echo:ok", "preWriteResponse:Echo:ok", "postWriteResponse:Echo"), r.events.subList(0, 9));
            r.events.clear();
            // a service error: postCall sees it, the write hooks see an error reply
            assertThrows(ServiceException.class, () -> c.call("Svc", "Fail", b(""), byte[].class));
            await(() -> r.events.contains("postWriteResponse:Fail"), "postWriteResponse");
            assertEquals(List.of("preReadRequest", "postReadRequest:Fail", "auth:", "preHandleRequest:Fail", "preCall:Svc.Fail",
                    "postCall:Svc.Fail:divide by zero", "preWriteResponse:Fail:error", "postWriteResponse:Fail"), r.events);
            r.events.clear();
        }
        await(() -> r.events.contains("connectionClosed:" + id), "connectionClosed");
        // a heartbeat: read hooks and the heartbeat hook, never auth, no call hooks
        r.events.clear();
        LinkedBlockingQueue<Message> in = new LinkedBlockingQueue<>();
        Connection conn = raw(address, in);
        Message hb = Message.request(5, "", "", SerializeType.MSGPACK, Map.of(), HexFormat.of().parseHex("d317979cfe362a0000"))
                .withHeartbeat(true);
        conn.send(hb).join();
        assertEquals(hb.withResponse(true), in.poll(5, TimeUnit.SECONDS));
        assertEquals(List.of("connectionAccepted:" + (id + 1), "preReadRequest", "postReadRequest:", "heartbeat"), r.events);
        // unregister on shutdown, for services and function paths
        r.events.clear();
        server.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertTrue(r.events.containsAll(List.of("unregister:Fn", "unregister:Svc")), r.events.toString());
    }

    @Test
    void registrationHooksAllRunAndTheirErrorsAreCollected() {
        Recorder second = new Recorder("second");
        server.addPlugin(new ServerPlugin() {
            @Override
            public void register(String name, Object service, String metadata) {
                throw new IllegalStateException("etcd is down");
            }

            @Override
            public void unregister(String name) {
                throw new IllegalStateException("cannot delete " + name);
            }
        }).addPlugin(second).addPlugin(new ServerPlugin() {
            @Override
            public void register(String name, Object service, String metadata) {
                throw new IllegalStateException("consul is down");
            }
        });
        RpcConfigurationException e = assertThrows(RpcConfigurationException.class, () -> server.register("Svc", svc));
        assertTrue(e.getMessage().contains("2 plugin hooks failed: etcd is down; consul is down"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertEquals(List.of("register:Svc:"), second.events, "the plugin after the failing one ran");
        assertEquals(List.of("Echo", "Block", "Fail", "Slow").stream().sorted().toList(), server.methods("Svc"),
                "as in Go, the service stays registered");
        RpcConfigurationException u = assertThrows(RpcConfigurationException.class, server::unregisterAll);
        assertTrue(u.getMessage().contains("cannot delete Svc"), u.getMessage());
        assertEquals(List.of("register:Svc:", "unregister:Svc"), second.events);
        server.unregisterAll(); // once, as Go's sync.Once: nothing runs again
        server.close();
        assertEquals(List.of("register:Svc:", "unregister:Svc"), second.events);
    }

    @Test
    void atCallHooksTheFirstPluginThatThrowsStopsTheOthers() throws Exception {
        Recorder second = new Recorder("second");
        server.addPlugin(new ServerPlugin() {
            @Override
            public Object preCall(CallContext context, String servicePath, String method, Object args) {
                if (method.equals("Fail")) {
                    throw new ServiceException("preCall refused " + method);
                }
                return args;
            }

            @Override
            public void preHandleRequest(CallContext context, Message request) {
                throw new IllegalStateException("ignored, as in Go");
            }

            @Override
            public void preWriteResponse(CallContext context, Message request, Message response, Throwable error) {
                throw new IllegalStateException("logged only");
            }
        }).addPlugin(second);
        server.register("Svc", svc);
        try (Client c = Client.connect(start(), RAW)) {
            ServiceException e = assertThrows(ServiceException.class, () -> c.call("Svc", "Fail", b(""), byte[].class));
            assertEquals("preCall refused Fail", e.getMessage());
            assertArrayEquals(b("ok"), c.call("Svc", "Echo", b("ok"), byte[].class), "preHandleRequest and preWriteResponse errors do not stop a call");
        }
        await(() -> second.events.contains("postWriteResponse:Echo"), "postWriteResponse");
        assertFalse(second.events.stream().anyMatch(e -> e.startsWith("preCall:Svc.Fail") || e.startsWith("preHandleRequest")
                || e.startsWith("preWriteResponse")), second.events.toString());
        assertTrue(second.events.contains("preCall:Svc.Echo"));
        assertFalse(second.events.contains("postCall:Svc.Fail:preCall refused Fail"), "a call refused by preCall never ran");
    }

    @Test
    void preCallReplacesArgsAndPostCallReplacesTheReplyOrFailsTheCall() throws Exception {
        List<Throwable> postCallErrors = new CopyOnWriteArrayList<>();
        server.addPlugin(new ServerPlugin() {
            @Override
            public Object preCall(CallContext context, String servicePath, String method, Object args) {
                assertSame(context, CallContext.current());
                return method.equals("Echo") ? b(s((byte[]) args) + "+pre") : args;
            }

            @Override
            public Object postCall(CallContext context, String servicePath, String method, Object args, Object reply, Throwable error) {
                postCallErrors.add(error);
                if (method.equals("Fail")) {
                    return b("partial");
                }
                if ("boom".equals(s((byte[]) args))) {
                    throw new ServiceException("postCall says no");
                }
                return b(s((byte[]) reply) + "+post");
            }
        });
        server.register("Svc", svc);
        try (Client c = Client.connect(start(), RAW)) {
            assertArrayEquals(b("x+pre+post"), c.call("Svc", "Echo", b("x"), byte[].class));
            // the error stays, the reply the hook gave is the error reply's payload (Go encodes replyv)
            Message res = c.sendRaw(Message.request(0, "Svc", "Fail", 0, Map.of(), b(""))).join();
            assertEquals("divide by zero", res.errorMessage());
            assertArrayEquals(b("partial"), res.payload());
            assertEquals("divide by zero", postCallErrors.get(1).getMessage());
            // a postCall that throws turns a success into the error reply
            ServiceException e = assertThrows(ServiceException.class, () -> c.call("Svc", "Slow", b("boom"), byte[].class));
            assertEquals("postCall says no", e.getMessage());
        }
    }

    @Test
    void connectionHooksCanRefuseAConnectionAndReadHooksCloseIt() throws Exception {
        Recorder second = new Recorder("second");
        AtomicInteger reads = new AtomicInteger();
        server.addPlugin(new ServerPlugin() {
            @Override
            public boolean connectionAccepted(ClientConnection connection) {
                return connection.id() != 1; // the first connection is refused
            }

            @Override
            public void preReadRequest(ClientConnection connection) {
                if (connection.id() == 3) {
                    throw new IllegalStateException("banned");
                }
            }

            @Override
            public Message postReadRequest(ClientConnection connection, Message request) {
                if (request.serviceMethod().equals("Fail")) {
                    throw new IllegalStateException("bad frame");
                }
                reads.incrementAndGet();
                return request;
            }
        }).addPlugin(second);
        List<Throwable> serviceErrors = new CopyOnWriteArrayList<>();
        server.serviceErrorHandler(serviceErrors::add);
        server.register("Svc", svc);
        String address = start();
        Client refused = Client.connect(address, RAW);
        refused.closeFuture().get(5, TimeUnit.SECONDS);
        assertFalse(second.events.contains("connectionAccepted:1"), "the plugins after the refusing one are not asked");
        assertFalse(second.events.contains("connectionClosed:1"), "a refused connection was never accepted (Go: no HandleConnClose)");
        try (Client c = Client.connect(address, RAW)) {
            assertArrayEquals(b("a"), c.call("Svc", "Echo", b("a"), byte[].class));
            // any other postReadRequest error closes the connection
            assertThrows(TransportException.class, () -> c.call("Svc", "Fail", b(""), byte[].class));
            c.closeFuture().get(5, TimeUnit.SECONDS);
        }
        try (Client c = Client.connect(address, RAW)) { // id 3: preReadRequest throws
            assertThrows(TransportException.class, () -> c.call("Svc", "Echo", b("a"), byte[].class));
        }
        // the close notifications of connections 2 and 3 may come in either order
        await(() -> second.events.containsAll(List.of("connectionClosed:2", "connectionClosed:3")), "connectionClosed");
        assertTrue(second.events.containsAll(List.of("connectionAccepted:2", "connectionAccepted:3")));
        assertEquals(List.of("bad frame", "banned"), serviceErrors.stream().map(Throwable::getMessage).toList());
    }

    @Test
    void aRequestLimitExceptionAnswersThatRequestAndKeepsTheConnection() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Recorder second = new Recorder("second");
        List<Throwable> serviceErrors = new CopyOnWriteArrayList<>();
        server.addPlugin(new ServerPlugin() {
            @Override
            public Message postReadRequest(ClientConnection connection, Message request) {
                if (n.incrementAndGet() % 2 == 0) {
                    throw new RequestLimitException();
                }
                return request;
            }
        }).addPlugin(second).serviceErrorHandler(serviceErrors::add);
        server.register("Svc", svc);
        try (Client c = Client.connect(start(), RAW)) {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    assertArrayEquals(b("v" + i), c.call("Svc", "Echo", b("v" + i), byte[].class));
                    ok++;
                } catch (ServiceException e) {
                    assertEquals(RequestLimitException.REACHED, e.getMessage());
                    limited++;
                }
            }
            assertEquals(5, ok);
            assertEquals(5, limited);
            assertTrue(c.isOpen(), "the connection stays");
            assertEquals(1, server.activeConnections());
        }
        assertEquals(5, second.events.stream().filter(e -> e.startsWith("postReadRequest")).count(),
                "the plugins after the limiter do not see a refused request");
        assertEquals(5, second.events.stream().filter(e -> e.equals("preWriteResponse:Echo:error")).count(),
                "the error reply goes through the write hooks, as Go's sendResponse");
        assertTrue(serviceErrors.isEmpty(), "as in Go, a rate limit is not a service error");
    }

    // ------------------------------------------------------------------ auth

    @Test
    void authAcceptsGoodTokensAndRefusesOthersClosingTheConnection() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        List<Throwable> serviceErrors = new CopyOnWriteArrayList<>();
        server.authFunction((ctx, req, token) -> {
            tokens.add(token);
            assertNotNull(ctx.connection());
            if (!token.equals("bearer tGzv3JOkF0XG5Qx2TlKWIA")) {
                throw new UnauthenticatedException("invalid token");
            }
        }).serviceErrorHandler(serviceErrors::add);
        server.register("Svc", svc);
        String address = start();
        try (XClient x = XClient.create("Svc", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""), RAW)
                .auth("bearer tGzv3JOkF0XG5Qx2TlKWIA")) {
            assertArrayEquals(b("in"), x.call("Echo", b("in"), byte[].class));
        }
        assertEquals(List.of("bearer tGzv3JOkF0XG5Qx2TlKWIA"), tokens);
        try (Client c = Client.connect(address, RAW)) {
            UnauthenticatedException e = assertThrows(UnauthenticatedException.class, () -> c.call("Svc", "Echo", b("x"), byte[].class));
            assertEquals("invalid token", e.getMessage(), "the error reply carries the exception's message, as Go's err.Error()");
            assertEquals(RpcException.Kind.UNAUTHENTICATED, e.kind());
            c.closeFuture().get(5, TimeUnit.SECONDS);
            assertFalse(c.isOpen(), "the server closed the connection after the reply");
        }
        assertEquals("", tokens.get(1), "no __AUTH: the empty string, as Go");
        assertInstanceOf(UnauthenticatedException.class, serviceErrors.get(0));
        // a heartbeat is never authenticated; a refused oneway request gets no reply but closes the connection too
        LinkedBlockingQueue<Message> in = new LinkedBlockingQueue<>();
        Connection conn = raw(address, in);
        Message hb = Message.request(1, "", "", SerializeType.MSGPACK, Map.of(), HexFormat.of().parseHex("d317979cfe362a0000"))
                .withHeartbeat(true);
        conn.send(hb).join();
        assertEquals(hb.withResponse(true), in.poll(5, TimeUnit.SECONDS));
        assertEquals(2, tokens.size());
        conn.send(Message.request(2, "Svc", "Echo", 0, Map.of(), b("x")).withOneway(true)).join();
        conn.closeFuture().get(5, TimeUnit.SECONDS);
        assertNull(in.poll(100, TimeUnit.MILLISECONDS));
        assertEquals(1, svc.seen.size(), "only the authenticated call ran");
    }

    // ------------------------------------------------------------------ error texts

    @Test
    void theErrorFunctionWritesTheWireTextAndTheServiceErrorHandlerSeesEveryError() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicReference<Message> seenResponse = new AtomicReference<>();
        server.errorFunction((res, err) -> {
            seenResponse.set(res);
            return "{\"code\":500,\"msg\":\"" + err.getMessage() + "\"}";
        }).serviceErrorHandler(errors::add);
        server.register("Svc", svc);
        server.addHandler("H", "Explicit", hc -> hc.writeError("chosen by the handler"));
        server.addHandler("H", "Throws", hc -> {
            throw new IllegalArgumentException("handler failed");
        });
        try (Client c = Client.connect(start(), RAW)) {
            Message res = c.sendRaw(Message.request(0, "Svc", "Fail", 0, Map.of(), b(""))).join();
            assertEquals("{\"code\":500,\"msg\":\"divide by zero\"}", res.errorMessage());
            assertTrue(seenResponse.get().isError() && seenResponse.get().isResponse());
            assertEquals("Fail", seenResponse.get().serviceMethod());
            ServiceException e = assertThrows(ServiceException.class, () -> c.call("Nope", "X", b(""), byte[].class));
            assertEquals("{\"code\":500,\"msg\":\"rpcx: can't find service Nope\"}", e.getMessage());
            assertEquals("{\"code\":500,\"msg\":\"handler failed\"}",
                    assertThrows(ServiceException.class, () -> c.call("H", "Throws", b(""), byte[].class)).getMessage());
            assertEquals("chosen by the handler", assertThrows(ServiceException.class, () -> c.call("H", "Explicit", b(""), byte[].class))
                    .getMessage(), "writeError(String) is sent as given");
        }
        assertEquals(List.of("divide by zero", "rpcx: can't find service Nope", "handler failed"),
                errors.stream().map(Throwable::getMessage).toList());
        // a failing error function falls back to the default text
        server.errorFunction((res, err) -> {
            throw new IllegalStateException("oops");
        });
        try (Client c = Client.connect(server.address(), RAW)) {
            assertEquals("divide by zero", assertThrows(ServiceException.class, () -> c.call("Svc", "Fail", b(""), byte[].class)).getMessage());
        }
    }

    // ------------------------------------------------------------------ pushes

    /** Pushes to its caller. */
    public static final class Notifier {
        final AtomicReference<Server> server = new AtomicReference<>();

        public byte[] subscribe(CallContext ctx, byte[] topic) {
            server.get().sendMessage(ctx.connection(), "Push", "Notify", Map.of("topic", s(topic)), b("hello " + s(topic))).join();
            return b("subscribed");
        }
    }

    @Test
    void aServicePushesToItsCallerAndTheClientHandlerReceivesIt() throws Exception {
        Recorder r = new Recorder("r");
        Notifier notifier = new Notifier();
        notifier.server.set(server);
        server.addPlugin(r).register(notifier);
        String address = start();
        LinkedBlockingQueue<Message> pushes = new LinkedBlockingQueue<>();
        try (XClient x = XClient.create("Notifier", FailMode.FAILFAST, SelectMode.RANDOM_SELECT, new Peer2PeerDiscovery(address, ""),
                RAW.withServerMessageHandler(pushes::add))) {
            assertArrayEquals(b("subscribed"), x.call("Subscribe", b("news"), byte[].class));
            Message push = pushes.poll(5, TimeUnit.SECONDS);
            assertNotNull(push);
            assertEquals("Push", push.servicePath());
            assertEquals("Notify", push.serviceMethod());
            assertEquals(Map.of("topic", "news"), push.metadata());
            assertArrayEquals(b("hello news"), push.payload());
            assertEquals(1, push.seq(), "the first push of a server has seq 1, as Go");
            assertTrue(push.isOneway() && !push.isResponse() && !push.isHeartbeat());
            assertEquals(SerializeType.NONE, push.serializeType());
            // the server may push to any connection at any time
            List<ClientConnection> conns = server.clientConnections();
            assertEquals(1, conns.size());
            server.sendMessage(conns.get(0), "Push", "Later", null, null).get(5, TimeUnit.SECONDS);
            Message later = pushes.poll(5, TimeUnit.SECONDS);
            assertEquals("Later", later.serviceMethod());
            assertEquals(2, later.seq());
            assertEquals(0, later.payload().length);
        }
        await(() -> r.events.contains("postWriteRequest:Later:ok"), "postWriteRequest");
        assertTrue(r.events.containsAll(List.of("preWriteRequest:Notify", "postWriteRequest:Notify:ok", "preWriteRequest:Later")));
    }

    @Test
    void aPushFrameIsGosByteForByte() throws Exception {
        Notifier notifier = new Notifier();
        notifier.server.set(server);
        server.register(notifier);
        server.addHandler("Push", "Me", hc -> {
            server.sendMessage(hc.connection(), "Push", "Notify", null, b("hi")).join();
            hc.write(b("ok"));
        });
        LinkedBlockingQueue<Message> in = new LinkedBlockingQueue<>();
        Connection conn = raw(start(), in);
        conn.send(Message.request(9, "Push", "Me", 0, Map.of(), b(""))).join();
        Message push = in.poll(5, TimeUnit.SECONDS);
        // shared/spec/protocol.md 10.7: SendMessage(conn, "Push", "Notify", nil, []byte("hi")), first push: seq 1
        String expected = "080020000000000000000001" + "0000001c" + "00000004" + HexFormat.of().formatHex(b("Push"))
                + "00000006" + HexFormat.of().formatHex(b("Notify")) + "00000000" + "00000002" + HexFormat.of().formatHex(b("hi"));
        assertEquals(expected, HexFormat.of().formatHex(FrameCodec.encode(push)));
        assertEquals(9, in.poll(5, TimeUnit.SECONDS).seq());
    }

    @Test
    void aPreWriteRequestHookThatThrowsStopsThePushAndForeignConnectionsAreRefused() throws Exception {
        server.addPlugin(new ServerPlugin() {
            @Override
            public void preWriteRequest(ClientConnection connection, Message push) {
                throw new IllegalStateException("not now");
            }
        });
        server.register("Svc", svc);
        LinkedBlockingQueue<Message> pushes = new LinkedBlockingQueue<>();
        try (Client c = Client.connect(start(), RAW.withServerMessageHandler(pushes::add))) {
            c.call("Svc", "Echo", b("x"), byte[].class);
            ClientConnection conn = svc.seen.get(0);
            assertSame(conn, server.clientConnections().get(0), "CallContext.connection() is the server's connection object");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> server.sendMessage(conn, "P", "M", Map.of(), b("x")).get(5, TimeUnit.SECONDS));
            assertEquals("not now", e.getCause().getMessage());
            assertNull(pushes.poll(200, TimeUnit.MILLISECONDS));
            try (Server other = Server.create()) {
                assertThrows(IllegalArgumentException.class, () -> other.sendMessage(conn, "P", "M", Map.of(), b("x")));
            }
            conn.close();
            c.closeFuture().get(5, TimeUnit.SECONDS);
            assertFalse(conn.isOpen());
        }
    }

    // ------------------------------------------------------------------ shutdown

    @Test
    void shutdownWithFiveHundredCallsInFlightEndsEachOneAndRunsTheHooksOnce() throws Exception {
        Recorder r = new Recorder("r");
        AtomicInteger hooks = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        server.addPlugin(r).register("Svc", svc);
        server.onShutdown(() -> {
            hooks.incrementAndGet();
            order.add("hook: started " + svc.started.get() + ", finished " + svc.finished.get());
        });
        String address = start();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(Client.connect(address, RAW));
        }
        List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(clients.get(i % 5).callAsync("Svc", "Slow", b("c" + i), byte[].class, CallOptions.NONE));
        }
        await(() -> svc.started.get() >= 50, "calls to start");
        // every request has reached the server (a request still in transit when the drain ends meets a closed
        // connection, which is a different case)
        await(() -> r.events.stream().filter(e -> e.equals("postReadRequest:Slow")).count() == 500, "requests to arrive");
        CompletableFuture<Void> done = server.shutdown(Duration.ofSeconds(20));
        assertTrue(r.events.contains("unregister:Svc"), "unregisterAll runs first, before the drain");
        assertSame(done, server.shutdown(Duration.ofSeconds(1)), "a second shutdown returns the same future");
        int completed = 0;
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            try {
                assertArrayEquals(b("c" + i), calls.get(i).get(15, TimeUnit.SECONDS));
                completed++;
            } catch (ExecutionException e) {
                assertInstanceOf(TransportException.class, e.getCause(), "call " + i);
                assertTrue(e.getCause().getMessage().contains("shutting down"), e.getCause().getMessage());
                refused++;
            } catch (TimeoutException e) {
                throw new AssertionError("call " + i + " hangs", e);
            }
        }
        done.get(15, TimeUnit.SECONDS);
        assertEquals(500, completed + refused);
        assertTrue(completed >= 50, "the calls that had started completed: " + completed);
        assertEquals(svc.started.get(), completed, "every call that started completed; the others were refused");
        server.close();
        server.shutdown(Duration.ofSeconds(1)).get(1, TimeUnit.SECONDS);
        assertEquals(1, hooks.get(), "the hooks run once");
        assertEquals(List.of("hook: started " + completed + ", finished " + completed), order, "the hooks ran after the drain");
        assertEquals(1, r.events.stream().filter(e -> e.equals("unregister:Svc")).count(), "unregister once");
        for (Client c : clients) {
            c.closeFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aShutdownWhoseDrainTimesOutStillRunsTheHooksAndCloses() throws Exception {
        AtomicInteger hooks = new AtomicInteger();
        server.register("Svc", svc).onShutdown(hooks::incrementAndGet).onShutdown(() -> {
            throw new IllegalStateException("a failing hook does not stop the next");
        }).onShutdown(hooks::incrementAndGet);
        try (Client c = Client.connect(start(), RAW)) {
            CompletableFuture<byte[]> blocked = c.callAsync("Svc", "Block", b("x"), byte[].class, CallOptions.NONE);
            await(() -> svc.started.get() == 1, "the call to start");
            long t0 = System.nanoTime();
            server.shutdown(Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            assertTrue(server.drainTimedOut());
            assertEquals(2, hooks.get());
            ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(5, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, e.getCause());
        }
    }

    @Test
    void closeUnregistersAndRunsNoShutdownHooks() {
        Recorder r = new Recorder("r");
        AtomicInteger hooks = new AtomicInteger();
        server.addPlugin(r).register("Svc", svc).onShutdown(hooks::incrementAndGet);
        server.close();
        assertEquals(List.of("register:Svc:", "unregister:Svc"), r.events);
        assertEquals(0, hooks.get(), "Go's Close does not run RegisterOnShutdown functions either");
    }

    /** A business error a server encodes with its error function and a client decodes with its error parser. */
    static final class OutOfStock extends ServiceException {
        private static final long serialVersionUID = 1L;
        final int item;

        OutOfStock(int item) {
            super("out of stock: " + item);
            this.item = item;
        }
    }

    @Test
    void theServerErrorFunctionAndTheClientErrorParserCarryTypedErrors() {
        Server s = Server.create();
        s.register("Svc", new Object() {
            @SuppressWarnings("unused")
            public byte[] buy(byte[] in) {
                throw new OutOfStock(in[0]);
            }
        });
        s.errorFunction((res, e) -> e instanceof OutOfStock o ? "E42:" + o.item : String.valueOf(e.getMessage()));
        String address = s.listen("memu", "");
        try (Client plain = Client.connect(address, RAW);
             Client typed = Client.connect(address, RAW.withErrorParser((res, text) ->
                     text.startsWith("E42:") ? new OutOfStock(Integer.parseInt(text.substring(4))) : null))) {
            assertEquals("E42:7", assertThrows(ServiceException.class, () -> plain.call("Svc", "Buy", new byte[] {7}, byte[].class)).getMessage());
            OutOfStock e = assertThrows(OutOfStock.class, () -> typed.call("Svc", "Buy", new byte[] {7}, byte[].class));
            assertEquals(7, e.item);
        } finally {
            s.close();
        }
    }
}

package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import rpcx.api.CallOptions;
import rpcx.api.Client;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.TransportException;
import rpcx.api.XClient;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/** The member example across real, separate JVMs, from the module path and from the class path. */
class SeparateJvmTest {
    private static final String MODULE = "rpcx.examples.member";
    private static final String USER_999 = "999 : \\{999 14990093 2 http://image.xxxx.xxx/t.gif Joke\\}";
    private static final String USER_888 = "888 : \\{888 10000999 3 http://image.xxxx.xxx/reply.gif Reply\\}";

    private static String outcome(CompletableFuture<?> f) {
        try {
            return "completed with " + f.getNow(null);
        } catch (RuntimeException e) {
            return "failed with " + e.getCause();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDemoRunsFromTheModulePath() throws Exception {
        try (ChildJvm demo = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberDemo")) {
            assertEquals(0, demo.awaitExit(60), demo.output());
            String out = demo.output();
            assertTrue(out.contains("service: 999"), out);
            assertTrue(out.matches("(?s).*\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d " + USER_999 + ".*"), out);
            assertTrue(out.matches("(?s).*" + USER_888 + ".*"), out);
            assertTrue(out.contains("server pid:"), out);
        }
    }

    @Test
    void theDemoRunsFromTheClassPath() throws Exception {
        try (ChildJvm demo = ChildJvm.classPath("rpcx.examples.member.cmd.MemberDemo")) {
            assertEquals(0, demo.awaitExit(60), demo.output());
            assertTrue(demo.output().matches("(?s).*" + USER_999 + ".*" + USER_888 + ".*"), demo.output());
        }
    }

    @Test
    void protobufVariantServerAndClientInSeparateJvms() throws Exception {
        int port = freePort();
        String module = "rpcx.examples.memberproto";
        try (ChildJvm server = ChildJvm.modulePath(module, module + ".cmd.MemberProtoServer", "-addr", "127.0.0.1:" + port)) {
            server.awaitLine("listening on tcp@127.0.0.1:" + port, 30);
            try (ChildJvm client = ChildJvm.modulePath(module, module + ".cmd.MemberProtoClient", "-addr", "127.0.0.1:" + port)) {
                assertEquals(0, client.awaitExit(60), client.output());
                client.awaitLine(Pattern.quote(" 10 * 20 = 200"), 1);
                client.awaitLine(Pattern.quote(" 999 : UID:999 AddTime:14990093 UserType:2 Uface:\"http://image.xxxx.xxx/t.gif\" UserName:\"Joke\""), 1);
            }
            server.awaitLine(Pattern.quote("call: 10 * 20 = 200"), 5);
            server.awaitLine("service: 999", 5);
        }
    }

    @Test
    void theTutorialsHttpClientCallsTheMemberServerThroughItsOwnPort() throws Exception {
        int port = freePort();
        try (ChildJvm server = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberServer", "-addr", "127.0.0.1:" + port)) {
            server.awaitLine("listening on tcp@127.0.0.1:" + port, 30);
            for (String codec : new String[] {"msgpack", "json"}) {
                try (ChildJvm http = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.HttpClient",
                        "-url", "http://127.0.0.1:" + port + "/", "-codec", codec)) {
                    assertEquals(0, http.awaitExit(60), http.output());
                    http.awaitLine(USER_999, 1);
                }
            }
            server.awaitLine("service: 999", 5);
        }
    }

    @Test
    void serverAndClientsInSeparateJvms() throws Exception {
        int port = freePort();
        try (ChildJvm server = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberServer", "-addr", "127.0.0.1:" + port)) {
            server.awaitLine("listening on tcp@127.0.0.1:" + port, 30);
            try (ChildJvm client = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberClient", "-addr", "127.0.0.1:" + port)) {
                assertEquals(0, client.awaitExit(60), client.output());
                client.awaitLine(USER_999, 1);
            }
            try (ChildJvm json = ChildJvm.classPath("rpcx.examples.member.cmd.MemberClient", "-addr", "127.0.0.1:" + port, "-codec", "json")) {
                assertEquals(0, json.awaitExit(60), json.output());
                json.awaitLine(USER_999, 1);
            }
            try (ChildJvm fn = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberFnClient", "-addr", "127.0.0.1:" + port)) {
                assertEquals(0, fn.awaitExit(60), fn.output());
                fn.awaitLine(USER_888, 1);
            }
            server.awaitLine("service: 999", 5);
            server.awaitLine("client has closed this connection", 10);
        }
    }

    @Test
    void theOptionsServerVariantServesTheSameReply() throws Exception {
        int port = freePort();
        try (ChildJvm server = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberServerWithOptions",
                "-addr", "127.0.0.1:" + port, "-readTimeout", "2s", "-writeTimeout", "2s")) {
            server.awaitLine("listening on", 30);
            try (Client c = Client.connect("tcp@127.0.0.1:" + port, ClientOptions.defaults())) {
                Reply r = c.call("ServiceUser", "UserInfo", new Args(999), Reply.class);
                assertEquals("{999 14990093 2 http://image.xxxx.xxx/t.gif Joke}", r.user().toString());
                // idle longer than the read timeout: the server closes the connection
                c.closeFuture().get(15, TimeUnit.SECONDS);
                assertTrue(!c.isOpen(), "the server's read timeout closes an idle connection");
            }
        }
    }

    @Test
    void aKilledServerFailsInFlightCallsAtOnceAndTheNextCallRedials() throws Exception {
        int port = freePort();
        String address = "tcp@127.0.0.1:" + port;
        ChildJvm first = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberServer", "-addr", "127.0.0.1:" + port);
        try (XClient x = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), ClientOptions.defaults().withRetries(0))) {
            first.awaitLine("listening on", 30);
            assertEquals(999, x.call("UserInfo", new Args(999), Reply.class).user().uid());
            try (Client direct = Client.connect(address, ClientOptions.defaults())) {
                first.stop(); // hung but connected: the call below stays in flight
                CompletableFuture<Reply> call = direct.callAsync("ServiceUser", "UserInfo", new Args(1), Reply.class, CallOptions.NONE);
                Thread.sleep(300);
                assertTrue(!call.isDone(), () -> "the call is in flight while the server is stopped, but: " + outcome(call));
                long t0 = System.nanoTime();
                first.kill();
                ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                assertInstanceOf(TransportException.class, e.getCause());
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "the failure must be prompt");
            }
            assertThrows(TransportException.class, () -> x.call("UserInfo", new Args(1), Reply.class));
            try (ChildJvm second = ChildJvm.modulePath(MODULE, "rpcx.examples.member.cmd.MemberServer", "-addr", "127.0.0.1:" + port)) {
                Matcher m = second.awaitLine("listening on", 30);
                assertTrue(m.find(0));
                assertEquals(7, x.call("UserInfo", new Args(7), Reply.class).user().uid(), "the XClient re-dials");
            }
        } finally {
            first.close();
        }
    }
}

package rpcx.jlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The linked image starts the member server, and its client launcher prints the tutorial's reply. */
class ImageIT {
    private static final Path IMAGE = Path.of(System.getProperty("rpcx.image", "target/image"));

    private static String run(List<String> cmd, long seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "did not finish: " + cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void imageHoldsOnlyTheNeededModules() throws Exception {
        String modules = run(List.of(IMAGE.resolve("bin/java").toString(), "--list-modules"), 30);
        for (String m : List.of("rpcx.api", "rpcx.transport.tcp", "rpcx.transport.kcp", "rpcx.codec.msgpack", "rpcx.codec.json", "org.msgpack.core",
                "rpcx.examples.member", "rpcx.cli", "info.picocli", "io.netty.transport")) {
            assertTrue(modules.contains(m + "@") || modules.lines().anyMatch(l -> l.equals(m) || l.startsWith(m + "@")), m + " in\n" + modules);
        }
        assertTrue(!modules.contains("java.desktop") && !modules.contains("java.sql"), "trimmed image:\n" + modules);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "kcp"})
    void imageServesTheMemberServiceToItsClient(String network) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // for kcp a UDP port: free too, almost surely
        }
        Path log = Files.createTempFile("member-server", ".log");
        Process server = new ProcessBuilder(IMAGE.resolve("bin/member-server").toString(), "-network", network,
                "-addr", "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("listening on") && System.nanoTime() < end) {
                assertTrue(server.isAlive(), Files.readString(log));
                Thread.sleep(50);
            }
            String out = run(List.of(IMAGE.resolve("bin/member-client").toString(), "-network", network,
                    "-addr", "127.0.0.1:" + port), 60);
            assertTrue(out.contains("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), out);
            if (network.equals("tcp")) { // the rpcx tool's launcher, as the issue's acceptance command
                String call = run(List.of(IMAGE.resolve("bin/rpcx").toString(), "call", "tcp@127.0.0.1:" + port,
                        "ServiceUser.UserInfo", "{\"Uid\":999}"), 60);
                assertTrue(call.contains("{\"UID\":999,\"AddTime\":14990093,\"UserType\":2,"
                        + "\"Uface\":\"http://image.xxxx.xxx/t.gif\",\"UserName\":\"Joke\"}"), call);
            }
            if (network.equals("tcp")) {
                String fn = run(List.of(IMAGE.resolve("bin/member-fn-client").toString(), "-addr", "127.0.0.1:" + port, "-codec", "json"), 60);
                assertTrue(fn.contains("888 : {888 10000999 3 http://image.xxxx.xxx/reply.gif Reply}"), fn);
            }
            assertTrue(Files.readString(log).contains("service: 999"), Files.readString(log));
        } finally {
            // the launcher is a shell script that starts java as its child: stop the whole tree
            List<ProcessHandle> tree = server.descendants().toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) {
                h.onExit().get(10, TimeUnit.SECONDS);
                assertTrue(!h.isAlive(), "the image's server JVM must not outlive the test: " + h.pid());
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    /** The image reads an EC key store (jdk.crypto.ec on JDK 17): the server starts with TLS and listens. */
    @Test
    void imageLoadsAnEcKeyStoreForTls() throws Exception {
        Path dir = Files.createTempDirectory("image-tls");
        Path p12 = dir.resolve("server.p12");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype",
                "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit"), 60);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(IMAGE.resolve("bin/member-server").toString(), "-addr", "127.0.0.1:" + port,
                "-keystore", p12.toString(), "-storepass", "changeit").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(log).contains("listening on") && System.nanoTime() < end) {
                assertTrue(server.isAlive(), Files.readString(log));
                Thread.sleep(50);
            }
            assertTrue(Files.readString(log).contains("listening on"), Files.readString(log));
        } finally {
            List<ProcessHandle> tree = server.descendants().toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLaunchersPutTheEpollNativeModuleInTheBootLayer() throws Exception {
        // the launchers run bin/java -m ...; the image's own options (--add-options) apply to every such start
        Process p = new ProcessBuilder(IMAGE.resolve("bin/java").toString(), "--show-module-resolution",
                "-m", "rpcx.examples.member/rpcx.examples.member.cmd.MemberDemo").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("root io.netty.transport.epoll.linux.x86_64")),
                "the native epoll module must be a root of the boot layer:\n" + out);
        assertTrue(out.contains("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), out);
    }
}

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
    private static final Path MINIMAL = Path.of(System.getProperty("rpcx.image.minimal", "target/image-minimal"));

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

    /** A member server started from the image's launcher, listening; closing it stops the launcher and its JVM. */
    private static final class ImageServer implements AutoCloseable {
        final int port;
        final Path log;
        private final Process process;

        ImageServer(String... flags) throws Exception {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort(); // for kcp a UDP port: free too, almost surely
            }
            log = Files.createTempFile("member-server", ".log");
            List<String> cmd = new java.util.ArrayList<>(List.of(IMAGE.resolve("bin/member-server").toString(),
                    "-addr", "127.0.0.1:" + port));
            cmd.addAll(List.of(flags));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!output().contains("listening on") && System.nanoTime() < end) {
                if (!process.isAlive()) {
                    close();
                    throw new AssertionError("the image's server stopped: " + output());
                }
                Thread.sleep(50);
            }
            assertTrue(output().contains("listening on"), output());
        }

        String output() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() throws Exception {
            // the launcher is a shell script that starts java as its child: stop the whole tree
            List<ProcessHandle> tree = process.descendants().toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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

    private static final String USER_999_JSON = "{\"UID\":999,\"AddTime\":14990093,\"UserType\":2,"
            + "\"Uface\":\"http://image.xxxx.xxx/t.gif\",\"UserName\":\"Joke\"}";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "kcp"})
    void imageServesTheMemberServiceToItsClient(String network) throws Exception {
        try (ImageServer server = new ImageServer("-network", network)) {
            String out = run(List.of(IMAGE.resolve("bin/member-client").toString(), "-network", network,
                    "-addr", "127.0.0.1:" + server.port), 60);
            assertTrue(out.contains("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), out);
            if (network.equals("tcp")) { // the rpcx tool's launcher, as the issue's acceptance command
                String call = run(List.of(IMAGE.resolve("bin/rpcx").toString(), "call", "tcp@127.0.0.1:" + server.port,
                        "ServiceUser.UserInfo", "{\"Uid\":999}"), 60);
                assertTrue(call.contains(USER_999_JSON), call);
                String fn = run(List.of(IMAGE.resolve("bin/member-fn-client").toString(), "-addr", "127.0.0.1:" + server.port,
                        "-codec", "json"), 60);
                assertTrue(fn.contains("888 : {888 10000999 3 http://image.xxxx.xxx/reply.gif Reply}"), fn);
            }
            assertTrue(server.output().contains("service: 999"), server.output());
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
        try (ImageServer server = new ImageServer("-keystore", p12.toString(), "-storepass", "changeit")) {
            assertTrue(server.output().contains("listening on"), server.output());
        }
    }

    /** The minimal profile (core, tcp, msgpack, the tool) holds only that, and its rpcx calls a real server. */
    @Test
    void theMinimalImageCallsAServer() throws Exception {
        String modules = run(List.of(MINIMAL.resolve("bin/java").toString(), "--list-modules"), 30);
        for (String m : List.of("rpcx.api@", "rpcx.transport.tcp@", "rpcx.codec.msgpack@", "rpcx.cli@", "org.msgpack.core@")) {
            assertTrue(modules.contains(m), m + " in\n" + modules);
        }
        for (String absent : List.of("rpcx.codec.json", "rpcx.examples.member", "rpcx.transport.kcp", "java.net.http")) {
            assertTrue(!modules.contains(absent), absent + " must not be in the minimal image:\n" + modules);
        }
        try (ImageServer server = new ImageServer()) {
            String call = run(List.of(MINIMAL.resolve("bin/rpcx").toString(), "call", "tcp@127.0.0.1:" + server.port,
                    "ServiceUser.UserInfo", "{\"Uid\":999}"), 60);
            assertTrue(call.contains(USER_999_JSON), call);
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

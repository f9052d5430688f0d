package rpcx.jlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import rpcx.api.Registries;
import rpcx.api.RegistryPlugin;
import rpcx.api.Server;
import rpcx.api.ServerOptions;
import rpcx.examples.member.cmd.HttpClient;
import rpcx.examples.member.cmd.MemberServer;
import rpcx.examples.member.service.Reply;
import rpcx.testkit.EtcdServer;
import rpcx.testkit.SelfSignedTls;
import rpcx.transport.kcp.KcpCrypt;
import rpcx.transport.kcp.KcpOptions;

/** The linked image starts the member server, and its client launcher prints the tutorial's reply. */
class ImageIT {
    private static final Path IMAGE = Path.of(System.getProperty("rpcx.image", "target/image"));
    private static final Path MINIMAL = Path.of(System.getProperty("rpcx.image.minimal", "target/image-minimal"));

    private static String run(List<String> cmd, long seconds) throws Exception {
        return run(0, cmd, seconds);
    }

    /** Runs the command to its end; its output (stdout and stderr) once it exited with {@code exitCode}. */
    private static String run(int exitCode, List<String> cmd, long seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "did not finish: " + cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(exitCode, p.exitValue(), out);
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

    /**
     * A process started from an image's launcher, ready once its check (given the output so far) passes; closing it
     * stops its whole tree.
     */
    private static class ImageProcess implements AutoCloseable {
        final Path log;
        private final Process process;

        ImageProcess(List<String> cmd, Map<String, String> env, Predicate<String> ready) throws Exception {
            log = Files.createTempFile("image-process", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            process = pb.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ready.test(output()) && System.nanoTime() < end) {
                if (!process.isAlive()) {
                    close();
                    throw new AssertionError("the image's process stopped: " + cmd + "\n" + output());
                }
                Thread.sleep(50);
            }
            assertTrue(ready.test(output()), "not ready in 30 s: " + cmd + "\n" + output());
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
                assertTrue(!h.isAlive(), "the image's JVM must not outlive the test: " + h.pid());
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    /** The member image's server, listening on a free port. */
    private static final class ImageServer extends ImageProcess {
        final int port;

        ImageServer(String... flags) throws Exception {
            this(EtcdServer.freePort(), flags); // for kcp a UDP port: free too, almost surely
        }

        private ImageServer(int port, String... flags) throws Exception {
            super(memberServerCommand(port, flags), Map.of(), out -> out.contains("listening on"));
            this.port = port;
        }

        private static List<String> memberServerCommand(int port, String... flags) {
            List<String> cmd = new ArrayList<>(List.of(IMAGE.resolve("bin/member-server").toString(), "-addr", "127.0.0.1:" + port));
            cmd.addAll(List.of(flags));
            return cmd;
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
        try (ImageServer server = new ImageServer("-keystore", SelfSignedTls.keyStoreFile().toString(), "-storepass",
                SelfSignedTls.PASSWORD)) {
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

    private static Path image(String profile) {
        return Path.of(System.getProperty("rpcx.image." + profile, "target/image-" + profile));
    }

    private static String rpcx(String profile, String... args) throws Exception {
        return rpcx(0, profile, args);
    }

    private static String rpcx(int exitCode, String profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(image(profile).resolve("bin/rpcx").toString()));
        cmd.addAll(List.of(args));
        return run(exitCode, cmd, 60);
    }

    /**
     * The member service in this JVM, on {@code network} at 127.0.0.1:port, registered in {@code registry} if given;
     * closing it closes the server, then the registry plugin.
     */
    private static AutoCloseable memberServer(String network, int port, String registry) {
        return memberServer(ServerOptions.defaults(), network, port, registry);
    }

    private static AutoCloseable memberServer(ServerOptions options, String network, int port, String registry) {
        RegistryPlugin plugin = registry == null ? null : Registries.plugin(registry, network + "@127.0.0.1:" + port);
        Server s = Server.create(options);
        AutoCloseable both = () -> {
            try (RegistryPlugin r = plugin) {
                s.close();
            }
        };
        try {
            if (plugin != null) {
                s.addPlugin(plugin);
            }
            MemberServer.configure(s);
            s.listen(network, "127.0.0.1:" + port);
            return both;
        } catch (RuntimeException e) {
            try {
                both.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The hybrid images (standard, full) reach etcd through their plugins/ folder (jetcd, gRPC, Vert.x as automatic
     * modules beside the image, protobuf as the image's explicit module): the tool lists a server registered there
     * and calls it, printing only its answer (no library start-up chatter).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "full"})
    void theHybridImagesFindAndCallServersThroughEtcd(String profile) throws Exception {
        try (EtcdServer etcd = new EtcdServer()) {
            int port = EtcdServer.freePort();
            String registry = etcd.address("/rpcx_test");
            try (AutoCloseable ignored = memberServer("tcp", port, registry)) {
                // only the answer: the services and their node (no metadata set), nothing logged
                List<String> list = rpcx(profile, "list", "--registry", registry).lines().map(String::stripTrailing).toList();
                String node = "  tcp@127.0.0.1:" + port;
                assertEquals(List.of("ServiceUser", node, "ServiceUserFn", node), list);

                String call = rpcx(profile, "call", "--registry", registry, "ServiceUser.UserInfo", "{\"Uid\":999}");
                assertEquals(USER_999_JSON, call.strip());
                String json = rpcx(profile, "call", "--codec", "json", "--registry", registry, "ServiceUser.UserInfo", "{\"Uid\":999}");
                // with the json codec the reply carries the tutorial's Go json tags
                assertEquals("{\"id\":999,\"addtime\":14990093,\"utype\":2,\"uface\":\"http://image.xxxx.xxx/t.gif\","
                        + "\"uname\":\"Joke\"}", json.strip());
            }
        }
    }

    /** The standard and full images' bin/rpcx-gateway forwards an HTTP call (the tutorial's HTTP client) to a server. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "full"})
    void theImagesGatewayForwardsHttpCalls(String profile) throws Exception {
        int port = EtcdServer.freePort();
        int gatewayPort = EtcdServer.freePort();
        try (AutoCloseable ignored = memberServer("tcp", port, null);
             ImageProcess gateway = new ImageProcess(List.of(image(profile).resolve("bin/rpcx-gateway").toString(),
                     "-listen", "127.0.0.1:" + gatewayPort, "-servers", "tcp@127.0.0.1:" + port), Map.of(),
                     out -> accepts(gatewayPort))) {
            for (int serializeType : new int[] {1, 3}) { // JSON, msgpack
                Reply reply = HttpClient.run("http://127.0.0.1:" + gatewayPort + "/", serializeType, 999);
                assertEquals("{999 14990093 2 http://image.xxxx.xxx/t.gif Joke}", reply.user().toString(), gateway.output());
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every library module of the repository, in the full image or its plugins/ folder. */
    private static final List<String> LINKED_IN_FULL = List.of("rpcx.api", "rpcx.cli", "rpcx.transport.tcp",
            "rpcx.transport.kcp", "rpcx.transport.quic", "rpcx.codec.msgpack", "rpcx.codec.json", "rpcx.codec.protobuf",
            "rpcx.codec.thrift", "rpcx.gateway", "rpcx.transfer", "rpcx.plugins", "rpcx.registry.zookeeper", "org.apache.zookeeper",
            "org.apache.thrift", "com.google.protobuf", "org.msgpack.core", "io.netty.codec.quic.linux.x86_64");
    private static final List<String> PLUGINS_OF_FULL = List.of("rpcx.registry.etcd", "rpcx.registry.consul",
            "rpcx.plugins.micrometer", "rpcx.plugins.opentelemetry", "jetcd-core", "consul-client", "micrometer-core",
            "opentelemetry-api");

    @Test
    void theImagesHoldTheirProfilesModules() throws Exception {
        String standard = run(List.of(image("standard").resolve("bin/java").toString(), "--list-modules"), 30);
        for (String m : List.of("rpcx.api@", "rpcx.transport.tcp@", "rpcx.codec.msgpack@", "rpcx.codec.json@",
                "rpcx.codec.protobuf@", "com.google.protobuf@", "rpcx.gateway@", "rpcx.cli@")) {
            assertTrue(standard.contains(m), m + " in\n" + standard);
        }
        for (String absent : List.of("rpcx.transport.kcp", "rpcx.transport.quic", "rpcx.codec.thrift", "rpcx.registry",
                "org.apache.zookeeper", "rpcx.examples", "java.desktop")) {
            assertTrue(!standard.contains(absent), absent + " must not be in the standard image:\n" + standard);
        }
        assertEquals(List.of("rpcx.registry.etcd"), pluginModules("standard"));

        String full = run(List.of(image("full").resolve("bin/java").toString(), "--list-modules"), 30);
        for (String m : LINKED_IN_FULL) {
            assertTrue(full.contains(m + "@"), m + " in\n" + full);
        }
        assertEquals(List.of("rpcx.plugins.micrometer", "rpcx.plugins.opentelemetry", "rpcx.registry.consul",
                "rpcx.registry.etcd"), pluginModules("full"));
        List<String> jars = jars(image("full").resolve("plugins"));
        for (String p : PLUGINS_OF_FULL) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(p + "-")), p + " in plugins/: " + jars);
        }
        // nothing twice: a plugin library the image links (netty, protobuf) is not in plugins/ as well
        for (String j : jars) {
            assertTrue(!j.startsWith("netty-transport-4") && !j.startsWith("protobuf-java") && !j.startsWith("rpcx.api"), j);
        }
    }

    private static List<String> jars(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> pluginModules(String profile) throws IOException {
        return jars(image(profile).resolve("plugins")).stream().filter(j -> j.startsWith("rpcx."))
                .map(j -> j.substring(0, j.indexOf('-'))).toList();
    }

    /**
     * The full image: a server found through ZooKeeper (the merged explicit module, linked), calls over quic and kcp;
     * the Consul registry is
     * found in plugins/ (there is no Consul server here: the tool says the registry could not be read, exit code 3,
     * where the standard image, without the module, says the scheme is unknown, exit code 2).
     */
    @Test
    void theFullImageCallsThroughZooKeeperOverQuicAndKcpAndKnowsConsul() throws Exception {
        Path dir = Files.createTempDirectory("image-zk");
        ZooKeeperServer zk = new ZooKeeperServer(dir.toFile(), dir.toFile(), 2000);
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 100);
        try {
            factory.startup(zk);
            String registry = "zookeeper://127.0.0.1:" + factory.getLocalPort() + "/rpcx_test";
            int port = EtcdServer.freePort();
            try (AutoCloseable ignored = memberServer("tcp", port, registry)) {
                String call = rpcx("full", "call", "--registry", registry, "ServiceUser.UserInfo", "{\"Uid\":999}");
                assertEquals(USER_999_JSON, call.strip());
            }
        } finally {
            factory.shutdown();
            zk.shutdown();
        }
        // the transports of the full image: quic (its native module in the boot layer; the server's certificate
        // unchecked, as Go's client without a TLS config, or checked against it) and kcp with the examples' key
        int quicPort = EtcdServer.freePort();
        try (AutoCloseable ignored = memberServer(ServerOptions.defaults().withTls(SelfSignedTls.server()), "quic", quicPort, null)) {
            String quic = "quic@127.0.0.1:" + quicPort;
            assertEquals(USER_999_JSON, rpcx("full", "call", quic, "ServiceUser.UserInfo", "{\"Uid\":999}").strip());
            assertEquals(USER_999_JSON, rpcx("full", "call", "--cacert", SelfSignedTls.certificatePem().toString(), quic,
                    "ServiceUser.UserInfo", "{\"Uid\":999}").strip());
        }
        int kcpPort = EtcdServer.freePort();
        KcpOptions examplesKey = KcpOptions.of(KcpCrypt.aesFromPassword("rpcx-key", "rpcx-salt"));
        try (AutoCloseable ignored = memberServer(ServerOptions.defaults().withTransportOption(examplesKey), "kcp", kcpPort, null)) {
            assertEquals(USER_999_JSON, rpcx("full", "call", "--kcp-key", "rpcx-key", "kcp@127.0.0.1:" + kcpPort,
                    "ServiceUser.UserInfo", "{\"Uid\":999}").strip());
        }
        String consul = "consul://127.0.0.1:" + EtcdServer.freePort() + "/rpcx_test";
        String unreachable = rpcx(3, "full", "list", "--registry", consul);
        assertTrue(unreachable.contains("Consul at 127.0.0.1:"), unreachable);
        String unknown = rpcx(2, "standard", "list", "--registry", consul);
        assertTrue(unknown.contains("no service discovery for scheme 'consul'"), unknown);
    }
}

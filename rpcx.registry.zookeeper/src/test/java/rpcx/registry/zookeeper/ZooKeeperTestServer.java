package rpcx.registry.zookeeper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A real ZooKeeper server (the server classes of the zookeeper jar) embedded in the test JVM on a free port of
 * 127.0.0.1, with a tick of 500 ms, so sessions may last 1 to 10 s. It can be stopped and started again on the
 * same port, either with its data or empty.
 */
final class ZooKeeperTestServer implements AutoCloseable {
    static final int TICK_MILLIS = 500;

    final int port;
    private final Path dir;
    private ZooKeeperServer server;
    private ServerCnxnFactory factory;

    ZooKeeperTestServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("rpcx-zk");
        start(false);
    }

    /** {@code 127.0.0.1:port}. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** A registry address: {@code zookeeper://127.0.0.1:port/basePath?query}. */
    String address(String basePath, String query) {
        return "zookeeper://" + hostPort() + basePath + (query.isEmpty() ? "" : "?" + query);
    }

    synchronized void start(boolean wiped) throws Exception {
        if (wiped) {
            deleteTree(dir);
            Files.createDirectories(dir);
        }
        server = new ZooKeeperServer(dir.toFile(), dir.toFile(), TICK_MILLIS);
        for (int attempt = 0; ; attempt++) {
            try {
                factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (java.net.BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                Thread.sleep(100); // the port of the previous run is still being released
            }
        }
        factory.startup(server);
    }

    synchronized void stop() {
        if (factory != null) {
            factory.shutdown();
            factory = null;
        }
        if (server != null) {
            server.shutdown(true);
            server = null;
        }
    }

    /** The ids of the open sessions. */
    synchronized java.util.Collection<Long> sessions() {
        return java.util.List.copyOf(server.getZKDatabase().getSessions());
    }

    /** Expires a session now, as the server does when a client has been silent longer than its timeout. */
    synchronized void expire(long sessionId) {
        server.expire(sessionId);
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> all = Files.walk(p)) {
                for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        deleteTree(dir);
    }
}

package rpcx.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd server for tests: the {@code etcd} binary (Debian's etcd-server; {@code .ci/run} installs it) on free
 * loopback ports with a data directory of its own, stopped and deleted on close.
 */
public final class EtcdServer implements AutoCloseable {
    /** The client port on 127.0.0.1. */
    public final int clientPort;
    private final int peerPort;
    private Path dataDir;
    private Process process;
    private final Path log;

    /** Starts etcd on free ports with an empty data directory and waits until it is healthy. */
    public EtcdServer() throws Exception {
        clientPort = freePort();
        peerPort = freePort();
        log = Files.createTempFile("rpcx-etcd", ".log");
        start(true);
    }

    /** {@code http://127.0.0.1:port} */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** {@code etcd://127.0.0.1:port/basePath} */
    public String address(String basePath) {
        return "etcd://127.0.0.1:" + clientPort + basePath;
    }

    /** Starts etcd, on a new empty data directory when asked (a wiped server), and waits until it is healthy. */
    public void start(boolean freshData) throws Exception {
        if (freshData) {
            deleteData();
            dataDir = Files.createTempDirectory("rpcx-etcd-data");
        }
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        try {
            process = new ProcessBuilder("etcd", "--name", "rpcx-test", "--data-dir", dataDir.toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "rpcx-test=" + peer)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start etcd (" + e.getMessage() + "): these tests need a real etcd"
                    + " on the PATH — apt-get install -y etcd-server (what .ci/run does)", e);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            if (healthy()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("etcd not healthy within 20 s: " + Files.readString(log));
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 200
                        && new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills etcd (SIGKILL) and waits until it is gone. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        deleteData();
        Files.deleteIfExists(log);
    }

    private void deleteData() throws IOException {
        if (dataDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A TCP port that was free on this machine a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

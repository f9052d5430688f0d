package rpcx.registry.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The tutorial's member server and client with the registry named by configuration
 * ({@code -registry zookeeper://...}), in JVMs of their own on the <b>module path</b>: rpcx.registry.zookeeper and
 * the merged org.apache.zookeeper module are explicit modules, found through the service binding of
 * {@code rpcx.api}'s {@code uses DiscoveryProvider} with no {@code --add-modules}.
 */
class MemberExampleOnTheModulePathTest {
    /** The test's class path as a module path: every jar and exploded module, without the test classes. */
    private static String modulePath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.endsWith(".jar") || Files.exists(Path.of(p, "module-info.class")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Process java(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-p", modulePath(), "-m", "rpcx.examples.member/rpcx.examples.member.cmd." + main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static LinkedBlockingQueue<String> lines(Process p) {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    q.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        }, "example-output");
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static String awaitLine(LinkedBlockingQueue<String> q, String contains, List<String> seen) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String line = q.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(contains)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no line containing '" + contains + "'; output: " + seen);
    }

    @Test
    void memberServerAndClientFindEachOtherThroughZooKeeperOnTheModulePath() throws Exception {
        try (ZooKeeperTestServer zk = new ZooKeeperTestServer()) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String registry = "zookeeper://" + zk.hostPort() + "/rpcx_test";
            Process server = java("MemberEtcdServer", "-addr", "127.0.0.1:" + port, "-registry", registry);
            try {
                List<String> serverOut = new ArrayList<>();
                awaitLine(lines(server), "listening on tcp@127.0.0.1:" + port, serverOut);
                String node = "tcp@127.0.0.1:" + port;
                assertEquals(Map.of(node, ""), ZooKeeperConformanceTest.children(zk.hostPort(), "/rpcx_test/ServiceUser"),
                        "the node as a Go rpcx client reads it; server output: " + serverOut);

                Process client = java("MemberEtcdClient", "-registry", registry);
                LinkedBlockingQueue<String> clientLines = lines(client);
                List<String> clientOut = new ArrayList<>();
                awaitLine(clientLines, "=== " + node, clientOut);
                String reply = awaitLine(clientLines, "999 : ", clientOut);
                assertTrue(reply.endsWith("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), reply);
                assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client did not finish");
                assertEquals(0, client.exitValue(), "client output: " + clientOut);

                server.destroy(); // SIGTERM: graceful shutdown unregisters
                assertTrue(server.waitFor(30, TimeUnit.SECONDS));
                assertEquals(Map.of(), ZooKeeperConformanceTest.children(zk.hostPort(), "/rpcx_test/ServiceUser"));
            } finally {
                server.destroyForcibly();
            }
        }
    }
}

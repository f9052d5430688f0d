package rpcx.registry.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;

/**
 * The tutorial's Etcd chapter as the README runs it: {@code MemberEtcdServer} and {@code MemberEtcdClient} in JVMs
 * of their own against a real etcd; the client prints what the tutorial prints, etcd holds Go's keys, and SIGTERM
 * takes the nodes out.
 */
class TutorialEtcdExampleTest {
    private static Process java(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "rpcx.examples.member.cmd." + main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** The process's output lines, read as they come. */
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

    private static Map<String, String> keys(Client c, String prefix) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : c.getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs()) {
            m.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void memberEtcdServerAndClientDoWhatTheTutorialShows() throws Exception {
        try (EtcdServer etcd = new EtcdServer(); Client c = Client.builder().endpoints(etcd.endpoint()).build()) {
            int port = EtcdServer.freePort();
            String etcdAddr = "127.0.0.1:" + etcd.clientPort;
            Process server = java("MemberEtcdServer", "-addr", "127.0.0.1:" + port, "-etcdAddr", etcdAddr);
            try {
                List<String> serverOut = new ArrayList<>();
                awaitLine(lines(server), "listening on tcp@127.0.0.1:" + port, serverOut);
                String node = "tcp@127.0.0.1:" + port;
                assertEquals(Map.of("/rpcx_test", "rpcx_path",
                        "/rpcx_test/ServiceUser", "ServiceUser", "/rpcx_test/ServiceUser/" + node, "",
                        "/rpcx_test/ServiceUserFn", "ServiceUserFn", "/rpcx_test/ServiceUserFn/" + node, ""),
                        keys(c, "/rpcx_test"), "what etcdctl get --prefix /rpcx_test shows");

                Process client = java("MemberEtcdClient", "-etcdAddr", etcdAddr);
                LinkedBlockingQueue<String> clientLines = lines(client);
                List<String> clientOut = new ArrayList<>();
                awaitLine(clientLines, "=== " + node, clientOut);
                String reply = awaitLine(clientLines, "999 : ", clientOut);
                assertTrue(reply.endsWith("999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}"), reply);
                assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client did not finish");
                assertEquals(0, client.exitValue(), "client output: " + clientOut);

                server.destroy(); // SIGTERM: graceful shutdown unregisters
                assertTrue(server.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, server.exitValue());
                assertEquals(Map.of("/rpcx_test", "rpcx_path", "/rpcx_test/ServiceUser", "ServiceUser",
                        "/rpcx_test/ServiceUserFn", "ServiceUserFn"), keys(c, "/rpcx_test"),
                        "the nodes are gone; the directory keys expire with the lease, as in Go");
            } finally {
                server.destroyForcibly();
            }
        }
    }
}

package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.SelectMode;
import rpcx.api.XClient;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * Go's {@code Restart} with real processes: the member server listens on network {@code reuseport}; SIGHUP makes it
 * start a new process of the same command line, which binds the same port, then drain and exit 0. A client calling
 * all along (Failover) loses no call, and the new process serves afterwards.
 */
class GracefulRestartTest {
    @Test
    void sighupHandsThePortToANewProcessAndNoCallIsLost() throws Exception {
        int port = SeparateJvmTest.freePort();
        long childPid = -1;
        try (ChildJvm server = ChildJvm.modulePath("rpcx.examples.member", "rpcx.examples.member.cmd.MemberServer",
                "-network", "reuseport", "-addr", "127.0.0.1:" + port)) {
            server.awaitLine("server pid:\\d+, listening on reuseport@127.0.0.1:" + port, 30);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            Thread caller = new Thread(() -> {
                try (XClient x = XClient.create("ServiceUser", FailMode.FAILOVER, SelectMode.RANDOM_SELECT,
                        new Peer2PeerDiscovery("tcp@127.0.0.1:" + port, ""),
                        ClientOptions.defaults().withReconnectBackoff(Duration.ZERO, Duration.ZERO).withRetries(5)
                                .withRetryInterval(Duration.ofMillis(50)))) {
                    while (running.get()) {
                        try {
                            Reply r = x.call("UserInfo", new Args(999), Reply.class, CallOptions.timeout(Duration.ofSeconds(5)));
                            if (r.user().uid() == 999) {
                                ok.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                }
            }, "restart-caller");
            caller.start();
            while (ok.get() < 200) {
                Thread.sleep(10);
            }
            server.signal("HUP");
            Matcher child = server.awaitLine("restart a new rpcx server: (\\d+)", 10);
            childPid = Long.parseLong(child.group(1));
            assertNotEquals(childPid, -1);
            server.awaitLine("server pid:" + childPid + ", listening on reuseport@127.0.0.1:" + port, 30);
            assertEquals(0, server.awaitExit(30), "the old process drains and exits 0: " + server.output());
            int atExit = ok.get();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < until || ok.get() < atExit + 200) {
                Thread.sleep(10);
            }
            running.set(false);
            caller.join(10_000);
            assertEquals(0, failed.get(), "no call lost across the restart (" + ok.get() + " succeeded)");
            assertTrue(ok.get() > atExit, "the new process serves after the old one exited");
            assertTrue(server.output().contains("graceful shutdown complete"), server.output());
        } finally {
            if (childPid > 0) {
                Optional<ProcessHandle> h = ProcessHandle.of(childPid);
                h.ifPresent(ProcessHandle::destroy);
                if (h.isPresent()) {
                    h.get().onExit().get(15, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void aServerStartedUnderNohupSaysThatSighupCannotRestartIt() throws Exception {
        int port = SeparateJvmTest.freePort();
        try (ChildJvm server = ChildJvm.modulePathUnder(List.of("nohup"), "rpcx.examples.member",
                "rpcx.examples.member.cmd.MemberServer", "-addr", "127.0.0.1:" + port)) {
            server.awaitLine("SIGHUP is ignored by this process", 30);
            server.awaitLine("listening on tcp@127.0.0.1:" + port, 30);
        }
    }
}

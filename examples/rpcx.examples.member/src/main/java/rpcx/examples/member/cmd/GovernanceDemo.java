package rpcx.examples.member.cmd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import rpcx.api.CallContext;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.NoServerAvailableException;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.Server;
import rpcx.api.XClient;
import rpcx.api.spi.CircuitBreaker;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;
import rpcx.examples.member.service.ServiceUser;

/**
 * The tutorial's service-governance programs in one process, on free loopback ports, in a few seconds: checks that
 * each behaves as the tutorial describes and exits 1 if one does not.
 * <ol>
 *   <li>{@link MultipleServer} + {@link MultipleClient}: two servers, Failover, RoundRobin: each answers a call.</li>
 *   <li>{@link WeightedClient}: {@code weight=1} / {@code weight=9}, WeightedRoundRobin, 1,000 calls (the first 10
 *   printed): the split is 10 % / 90 % (within 2 points), counted by the client and by the servers.</li>
 *   <li>{@link ForkClient}: Fork and Broadcast reach both servers; with both down, {@code can not found any
 *   server}.</li>
 *   <li>{@link MetaServer} + {@link MetaClient}: the tutorial's {@code state=inactive} and {@code group} cases; an
 *   inactive or filtered server is never called.</li>
 *   <li>{@link BreakerServer} + {@link BreakerClient}: one live and one dead address, {@code ConsecCircuitBreaker(2,
 *   30s)}, Failtry, 5 retries, RandomSelect, 20 calls 110 ms apart: at most the two calls that dial the dead
 *   server fail (the second trips its breaker), every other call is answered by the live server.</li>
 * </ol>
 * Flags: {@code -host 127.0.0.1}. Run: {@code examples/run.sh member GovernanceDemo}.
 */
public final class GovernanceDemo {
    private final String host;
    private final List<String> problems = new ArrayList<>();

    private GovernanceDemo(String host) {
        this.host = host;
    }

    /** {@code ServiceUser} that counts its calls, so the demo can tell which server was really called. */
    public static final class CountingServiceUser extends ServiceUser {
        private final AtomicInteger calls = new AtomicInteger();

        /** Creates a service with no calls counted. */
        public CountingServiceUser() {
        }

        /** Counts, then answers as {@link ServiceUser#userInfo}. */
        @Override
        public Reply userInfo(CallContext ctx, Args args) {
            calls.incrementAndGet();
            return super.userInfo(ctx, args);
        }

        int calls() {
            return calls.get();
        }
    }

    /** Runs every case; exits 0 when all behaved as expected, 1 otherwise. */
    public static void main(String[] args) throws Exception {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        GovernanceDemo demo = new GovernanceDemo(flags.get("host", "127.0.0.1"));
        long t0 = System.nanoTime();
        demo.run();
        System.out.println();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (demo.problems.isEmpty()) {
            System.out.println("GovernanceDemo: all 5 cases behaved as the tutorial describes (" + ms + " ms)");
            System.exit(0);
        }
        System.out.println("GovernanceDemo: " + demo.problems.size() + " case(s) did not behave as expected:");
        demo.problems.forEach(p -> System.out.println("  - " + p));
        System.exit(1);
    }

    private void run() throws Exception {
        CountingServiceUser u0 = new CountingServiceUser();
        CountingServiceUser u1 = new CountingServiceUser();
        try (Server s0 = MultipleServer.createServer("tcp@" + host + ":0", u0, "");
             Server s1 = MultipleServer.createServer("tcp@" + host + ":0", u1, "")) {
            String a0 = s0.address();
            String a1 = s1.address();
            multiple(a0, u0, a1, u1);
            weighted(a0, u0, a1, u1);
            fork(a0, u0, a1, u1);
            meta();
            breaker(a0, u0);
        }
    }

    private void multiple(String a0, CountingServiceUser u0, String a1, CountingServiceUser u1) {
        header("1. membermultiple: MultipleServer -addr " + a0 + " -addr1 " + a1 + "; MultipleClient (Failover, RoundRobin), 2 calls");
        int c0 = u0.calls();
        int c1 = u1.calls();
        List<String> answered = new ArrayList<>();
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILOVER, SelectMode.ROUND_ROBIN,
                MultipleClient.discovery(a0, "", a1, ""), ClientOptions.defaults())) {
            for (int i = 0; i < 2; i++) {
                answered.add(MultipleClient.callAndPrint(xclient, 999));
            }
        } catch (RpcException e) {
            problem("case 1: a call failed: " + e.getMessage());
            return;
        }
        check(Set.copyOf(answered).equals(Set.of(a0, a1)), "case 1: RoundRobin should answer from both servers, got " + answered);
        check(u0.calls() - c0 == 1 && u1.calls() - c1 == 1, "case 1: each server should have been called once");
    }

    private void weighted(String a0, CountingServiceUser u0, String a1, CountingServiceUser u1) {
        int n = 1000;
        header("2. weights: WeightedClient -meta0 weight=1 -meta1 weight=9 (Failtry, WeightedRoundRobin), " + n + " calls");
        int c0 = u0.calls();
        int c1 = u1.calls();
        MultipleServersDiscovery d = MultipleClient.discovery(a0, "weight=1", a1, "weight=9");
        Map<String, Integer> answered;
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.WEIGHTED_ROUND_ROBIN, d,
                ClientOptions.defaults())) {
            answered = WeightedClient.run(xclient, d, n, 10, 999);
        } catch (RpcException e) {
            problem("case 2: a call failed: " + e.getMessage());
            return;
        }
        double share0 = 100.0 * answered.get(a0) / n;
        check(Math.abs(share0 - 10) <= 2 && answered.get(a0) + answered.get(a1) == n, String.format(Locale.ROOT,
                "case 2: weight=1 should answer 10 %% of the calls (within 2 points), got %.1f %% (%s)", share0, answered));
        check(u0.calls() - c0 == answered.get(a0) && u1.calls() - c1 == answered.get(a1),
                "case 2: the servers' own counts differ from the replies: " + (u0.calls() - c0) + " / " + (u1.calls() - c1));
    }

    private void fork(String a0, CountingServiceUser u0, String a1, CountingServiceUser u1) throws InterruptedException {
        header("3. ForkClient: Fork and Broadcast on both servers, then with both down");
        int c0 = u0.calls();
        int c1 = u1.calls();
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.WEIGHTED_ROUND_ROBIN,
                MultipleClient.discovery(a0, "weight=1", a1, "weight=9"), ClientOptions.defaults())) {
            ForkClient.call(xclient, false, 999);
            ForkClient.call(xclient, true, 999);
        } catch (RpcException e) {
            problem("case 3: Fork or Broadcast failed: " + e.getMessage());
            return;
        }
        // Fork returns the first reply; the other server may still be answering: give it a moment
        for (int i = 0; i < 100 && (u0.calls() - c0 < 2 || u1.calls() - c1 < 2); i++) {
            Thread.sleep(20);
        }
        check(u0.calls() - c0 == 2 && u1.calls() - c1 == 2,
                "case 3: Fork and Broadcast should each call both servers, calls: " + (u0.calls() - c0) + " / " + (u1.calls() - c1));
        String dead0 = "tcp@" + host + ":" + freePort();
        String dead1 = "tcp@" + host + ":" + freePort();
        System.out.println("(both servers down: " + dead0 + ", " + dead1 + ")");
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.WEIGHTED_ROUND_ROBIN,
                MultipleClient.discovery(dead0, "weight=1", dead1, "weight=9"), ClientOptions.defaults())) {
            ForkClient.call(xclient, false, 999);
            problem("case 3: Fork with every server down should fail");
        } catch (RpcException e) {
            Console.log("failed to call: " + GoErrors.text(e));
            check(e instanceof NoServerAvailableException, "case 3: with every server down Fork should fail with"
                    + " NoServerAvailableException (Go's ErrXClientNoServer), got " + e);
        }
    }

    private void meta() {
        header("4. membermeta: MetaServer -meta \"state=inactive\"; MetaClient with the tutorial's discovery metadata");
        CountingServiceUser u0 = new CountingServiceUser();
        CountingServiceUser u1 = new CountingServiceUser();
        try (Server s0 = MultipleServer.createServer("tcp@" + host + ":0", u0, "state=inactive");
             Server s1 = MultipleServer.createServer("tcp@" + host + ":0", u1, "state=inactive")) {
            String a0 = s0.address();
            String a1 = s1.address();
            metaCase(a0, "state=inactive", a1, "state=inactive", "", null, u0, u1);
            metaCase(a0, "", a1, "", "", "either", u0, u1); // the server's own metadata does not count
            metaCase(a0, "", a1, "state=inactive", "", a0, u0, u1);
            metaCase(a0, "state=inactive", a1, "", "", a1, u0, u1);
        }
        header("4. membermeta: MetaServer -meta \"group=Member\"; MetaClient with groups");
        u0 = new CountingServiceUser();
        u1 = new CountingServiceUser();
        try (Server s0 = MultipleServer.createServer("tcp@" + host + ":0", u0, "group=Member");
             Server s1 = MultipleServer.createServer("tcp@" + host + ":0", u1, "group=Member")) {
            String a0 = s0.address();
            String a1 = s1.address();
            metaCase(a0, "", a1, "group=Member", "Me", null, u0, u1);
            metaCase(a0, "", a1, "group=Member", "Member", a1, u0, u1);
            metaCase(a0, "", a1, "group=009", "Member", null, u0, u1);
            metaCase(a0, "", a1, "group=009", "", "either", u0, u1); // no option.Group: no group filter
        }
    }

    /** One MetaClient run; {@code expected} is the server that must answer, "either", or null for no server. */
    private void metaCase(String a0, String meta0, String a1, String meta1, String group, String expected,
                          CountingServiceUser u0, CountingServiceUser u1) {
        System.out.println("--- MetaClient -addr " + a0 + " -addr1 " + a1 + " -meta0 \"" + meta0 + "\" -meta1 \"" + meta1
                + "\"" + (group.isEmpty() ? "" : " -group " + group));
        int c0 = u0.calls();
        int c1 = u1.calls();
        String what = "case 4 (meta0=\"" + meta0 + "\", meta1=\"" + meta1 + "\", group=\"" + group + "\"): ";
        try {
            String server = MetaClient.call(a0, meta0, a1, meta1, group, 999);
            check(expected != null, what + "should fail with can not found any server, answered by " + server);
            if (expected != null && !expected.equals("either")) {
                check(server.equals(expected), what + "should be answered by " + expected + ", got " + server);
            }
            int called = (u0.calls() - c0) + (u1.calls() - c1);
            check(called == 1, what + "one server should have been called, " + called + " were");
            check(server.equals(a0) ? u0.calls() - c0 == 1 : u1.calls() - c1 == 1, what + "the answering server was not called");
        } catch (RpcException e) {
            Console.log("failed to call: " + GoErrors.text(e));
            check(expected == null, what + "should have been answered, failed with " + e);
            check(e instanceof NoServerAvailableException, what + "should fail with NoServerAvailableException, got " + e);
            check(u0.calls() == c0 && u1.calls() == c1, what + "a filtered server was called");
        }
    }

    private void breaker(String live, CountingServiceUser u) throws InterruptedException {
        String dead = "tcp@" + host + ":" + freePort();
        int n = 20;
        Duration interval = Duration.ofMillis(110);
        header("5. breaker: BreakerServer serves " + live + " only; BreakerClient -addr " + live + " -addr1 " + dead
                + " -n " + n + " -interval " + interval.toMillis() + "ms");
        int c = u.calls();
        MultipleServersDiscovery d = MultipleClient.discovery(live, "", dead, "");
        SelectionLog log = new SelectionLog();
        BreakerClient.Outcome o;
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.RANDOM_SELECT, d,
                BreakerClient.options(log))) {
            o = BreakerClient.run(xclient, d, log, n, interval, 999);
        }
        int failures = o.failedOn().size();
        CircuitBreaker.State deadBreaker = log.breakerState(dead);
        System.out.println("(answered by the live server: " + o.answered().get(live) + ", failed: " + failures
                + ", answered after skipping the dead server: " + o.skips() + ", dead server's breaker: " + deadBreaker + ")");
        check(o.answered().get(live) > 0, "case 5: the live server never answered");
        check(o.answered().get(live) + failures == n, "case 5: " + n + " calls should be answered or failed: " + o);
        check(u.calls() - c == o.answered().get(live), "case 5: the live server's own count differs from the replies");
        check(o.failedOn().stream().allMatch(dead::equals), "case 5: a call failed on the live server: " + o.failedOn());
        check(failures <= 2, "case 5: after two failed dials the breaker should keep the dead server out (30 s), but "
                + failures + " calls failed");
        check(failures < 2 || deadBreaker == CircuitBreaker.State.OPEN,
                "case 5: two failed dials should have opened the dead server's breaker, it is " + deadBreaker);
    }

    private static void header(String title) {
        System.out.println();
        System.out.println("## " + title);
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            problem(problem);
        }
    }

    private void problem(String p) {
        problems.add(p);
        System.out.println("PROBLEM: " + p);
    }

    /** A loopback port nobody listens on (bound, then released). */
    private int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

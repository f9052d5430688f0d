package rpcx.examples.member.cmd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import rpcx.api.CallOptions;
import rpcx.api.CircuitBreakers;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.Response;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.ServerNode;
import rpcx.api.XClient;
import rpcx.examples.member.model.User;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The tutorial's {@code breaker} client: two addresses of which only the first is served ({@link BreakerServer}),
 * {@code option.GenBreaker = NewConsecCircuitBreaker(2, 30*time.Second)} (here
 * {@code CircuitBreakers.consecutive(2, Duration.ofSeconds(30))}), {@code option.Retries = 5}, {@code Failtry},
 * {@code RandomSelect}, then {@code -n} calls of {@code UserInfo}, one per {@code -interval}. For each call it
 * prints what the tutorial's output shows: {@code === <server>}, Go's {@code WARN : failed to dial server: ...}
 * for each failed dial, then the reply, or {@code failed to call: ...} followed, as the tutorial's program does
 * ({@code log.Println} runs after the error too), by the untouched reply {@code 999 : {0 0 0  }}.
 *
 * <p><b>What differs from the tutorial, and why.</b> Go's XClient keeps selecting the dead server: with
 * RandomSelect about every other call goes to it and fails with {@code breaker open} for as long as the breaker
 * is open. Our XClient skips a server whose breaker is open, and one in reconnect backoff after a failed dial
 * (100 ms, doubling up to 5 s), and calls another server instead. So here only the calls that actually dial the
 * dead server fail: the first time RandomSelect picks it (the dial is refused; Failtry's 5 retries on the same
 * server then find it in reconnect backoff), and the next time (the second refused dial trips the breaker; the
 * retries find it open: {@code failed to call: breaker open}). From then on every call is answered by the live
 * server, and the line says what was skipped: {@code === localhost:8972 (skipped localhost:8973: breaker open)}.
 * When the 30 s have passed, the breaker goes half-open and lets one probe through (Go lets every call through):
 * when RandomSelect next picks the dead server, that one call fails and the breaker opens for another 30 s. Over
 * the tutorial's 100 calls, one per second, expect 2 failed calls at the start and about one more per 30 s,
 * every other call answered; Go's output would show about 50 failures.
 *
 * <p>Flags: {@code -addr localhost:8972} (or {@code -addr0}), {@code -addr1 localhost:8973} (no {@code tcp@},
 * as in the tutorial, so the lines read {@code === localhost:8973}), {@code -n 100}, {@code -interval 1s} (Go
 * durations: {@code 200ms}, {@code 1s}), {@code -uid 999}.
 *
 * <pre>
 * examples/run.sh member BreakerClient -addr localhost:8972 -addr1 localhost:8973
 * === localhost:8973
 * 2026/11/26 02:36:54 WARN : failed to dial server: cannot connect to tcp@localhost:8973: ... Connection refused: localhost/127.0.0.1:8973
 * 2026/11/26 02:36:54 failed to call: rpcx: localhost:8973 is unreachable (1 failed dials); dialled again in 79 ms
 * 2026/11/26 02:36:54 999 : {0 0 0  }
 * === localhost:8973
 * 2026/11/26 02:36:57 WARN : failed to dial server: cannot connect to tcp@localhost:8973: ... Connection refused: localhost/127.0.0.1:8973
 * 2026/11/26 02:36:57 failed to call: breaker open
 * 2026/11/26 02:36:57 999 : {0 0 0  }
 * === localhost:8972 (skipped localhost:8973: breaker open)
 * 2026/11/26 02:36:58 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * === localhost:8972
 * 2026/11/26 02:37:07 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * ... (30 s later the half-open probe: one more "=== localhost:8973" ... "failed to call: breaker open")
 * </pre>
 */
public final class BreakerClient {
    private static final User ZERO = new User(0, 0, 0, "", "");

    private BreakerClient() {
    }

    /**
     * What a run did.
     *
     * @param answered the calls each server answered (every server of the discovery is a key)
     * @param failedOn the server of each failed call, in order
     * @param skips    calls answered by one server after the selector had picked another (breaker open or backoff)
     */
    public record Outcome(Map<String, Integer> answered, List<String> failedOn, int skips) {
    }

    /** The tutorial's client options: {@code ConsecCircuitBreaker(2, 30s)}, {@code Retries = 5}, watched by {@code log}. */
    public static ClientOptions options(SelectionLog log) {
        return ClientOptions.defaults()
                .withBreaker(log.observe(CircuitBreakers.consecutive(2, Duration.ofSeconds(30))))
                .withRetries(5)
                .withPlugin(log);
    }

    /** Makes {@code n} calls, one per {@code interval}, printing as described above. */
    public static Outcome run(XClient xclient, MultipleServersDiscovery d, SelectionLog log, int n, Duration interval,
                              int uid) throws InterruptedException {
        Map<String, Integer> answered = new LinkedHashMap<>();
        for (ServerNode node : d.servers()) {
            answered.put(node.address(), 0);
        }
        List<String> failedOn = new ArrayList<>();
        int skips = 0;
        Args args = new Args(uid);
        for (int i = 0; i < n; i++) {
            if (i > 0 && !interval.isZero()) {
                Thread.sleep(interval.toMillis());
            }
            log.begin();
            try {
                Response<Reply> r = xclient.invoke("UserInfo", args, Reply.class, CallOptions.NONE);
                String skipped = log.skipped(r.server());
                skips += skipped.isEmpty() ? 0 : 1;
                System.out.println("=== " + r.server() + skipped);
                printDialFailures(log);
                Console.log(args.uid() + " : " + r.value().user());
                answered.merge(r.server(), 1, Integer::sum);
            } catch (RpcException e) {
                String server = log.lastPick();
                System.out.println("=== " + (server == null ? "(no server)" : server + log.skipped(server)));
                printDialFailures(log);
                Console.log("failed to call: " + GoErrors.text(e));
                Console.log(args.uid() + " : " + ZERO);
                failedOn.add(String.valueOf(server));
            }
        }
        return new Outcome(answered, failedOn, skips);
    }

    private static void printDialFailures(SelectionLog log) {
        for (String f : log.dialFailures()) {
            Console.log("WARN : failed to dial server: " + f);
        }
    }

    /** Runs the calls; exits 0 whatever they returned, as the tutorial's loop does. */
    public static void main(String[] argv) throws InterruptedException {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(argv);
        MultipleServersDiscovery d = MultipleClient.discovery(flags.first("localhost:8972", "addr", "addr0"), "",
                flags.get("addr1", "localhost:8973"), "");
        SelectionLog log = new SelectionLog();
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.RANDOM_SELECT, d, options(log))) {
            run(xclient, d, log, flags.getInt("n", 100), flags.duration("interval", "1s"), flags.getInt("uid", 999));
        }
    }
}

package rpcx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import rpcx.api.Server;
import rpcx.api.ServiceException;
import rpcx.examples.member.cmd.MemberServer;

/** {@code rpcx bench} against a real member server: counts, rates, latency, errors and exit codes. */
class RpcxBenchTest {
    private static Server server;
    private static String address;
    private static final AtomicInteger served = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = MemberServer.configure(Server.create());
        server.registerFunction("Flaky", "Call", Map.class, (ctx, args) -> {
            if (served.incrementAndGet() % 10 == 0) {
                throw new ServiceException("every tenth call fails");
            }
            return args;
        });
        address = server.listen("tcp", "127.0.0.1:0");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void makesTheCallsAndReportsRateAndLatency() {
        Cli.Run r = Cli.rpcx("bench", address, "ServiceUser.UserInfo", "{\"Uid\":999}", "-n", "2000", "-k", "16", "--clients", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("2000 calls to ServiceUser.UserInfo at " + address + ", 16 in flight, 2 clients\n"),
                r.out());
        Matcher rate = Pattern.compile("took ([0-9.]+) s: ([0-9]+) calls/s, 0 errors").matcher(r.out());
        assertTrue(rate.find(), r.out());
        assertTrue(Long.parseLong(rate.group(2)) > 0);
        Matcher lat = Pattern.compile("latency: p50 ([0-9.]+) ms  p90 ([0-9.]+) ms  p99 ([0-9.]+) ms  p99.9 ([0-9.]+) ms  "
                + "max ([0-9.]+) ms").matcher(r.out());
        assertTrue(lat.find(), r.out());
        for (int i = 1; i < 5; i++) {
            assertTrue(Double.parseDouble(lat.group(i)) <= Double.parseDouble(lat.group(i + 1)), "percentiles grow: " + r.out());
        }
    }

    @Test
    void countsFailedCallsAndExitsOne() {
        served.set(0);
        Cli.Run r = Cli.rpcx("bench", address, "Flaky.Call", "{}", "-n", "500", "-k", "8");
        assertEquals(1, r.code(), r.out() + r.err());
        Matcher errors = Pattern.compile("calls/s, ([0-9]+) errors").matcher(r.out());
        assertTrue(errors.find(), r.out());
        assertEquals(50, Long.parseLong(errors.group(1)), "one in ten of the 500 timed calls (and the first, untimed one)");
        assertTrue(r.err().contains("every tenth call fails"), r.err());
    }

    @Test
    void runsForADuration() {
        Cli.Run r = Cli.rpcx("bench", "-d", "300ms", address, "ServiceUser.UserInfo", "{\"Uid\":1}");
        assertEquals(0, r.code(), r.err());
        Matcher calls = Pattern.compile("^([0-9]+) calls").matcher(r.out());
        assertTrue(calls.find() && Long.parseLong(calls.group(1)) > 0, r.out());
    }

    @Test
    void anUnreachableServerExitsThree() {
        Cli.Run r = Cli.rpcx("bench", "-t", "2s", "tcp@127.0.0.1:1", "ServiceUser.UserInfo");
        assertEquals(Rpcx.UNREACHABLE, r.code(), r.out());
        assertEquals(2, Cli.rpcx("bench", address, "ServiceUser.UserInfo", "-k", "0").code());
    }
}

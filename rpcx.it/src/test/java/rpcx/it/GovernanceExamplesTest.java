package rpcx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The tutorial's service-governance examples of the member module (multiple servers, weights, Fork/Broadcast,
 * state/group metadata, circuit breaker), run as a user runs them: in separate JVMs from the module path.
 */
class GovernanceExamplesTest {
    private static final String MODULE = "rpcx.examples.member";
    private static final String CMD = MODULE + ".cmd.";
    private static final String GO_TIME = "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d ";
    private static final String USER_999 = "999 : \\{999 14990093 2 http://image.xxxx.xxx/t.gif Joke\\}";
    private static final String NO_SERVER = GO_TIME + Pattern.quote("failed to call: can not found any server");

    private static long count(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().filter(l -> p.matcher(l).matches()).count();
    }

    @Test
    void theGovernanceDemoRunsEveryCaseAndExitsZero() throws Exception {
        try (ChildJvm demo = ChildJvm.modulePath(MODULE, CMD + "GovernanceDemo")) {
            assertEquals(0, demo.awaitExit(120), demo.output());
            String out = demo.output();
            List<String> lines = out.lines().toList();
            assertFalse(out.contains("PROBLEM:"), out);
            // 1. two servers, RoundRobin: both answer
            assertEquals(6, count(lines, GO_TIME + "INFO : server pid:\\d+, listening on tcp@127\\.0\\.0\\.1:\\d+"),
                    "two servers for cases 1-3 and 5, two for each meta case:\n" + out);
            demo.awaitLine("^## 1\\. membermultiple", 1);
            assertTrue(count(lines, "=== tcp@127\\.0\\.0\\.1:\\d+") >= 10, out);
            assertTrue(count(lines, GO_TIME + USER_999) >= 10, out);
            assertTrue(count(lines, "service: 999") >= 10, "the servers print the tutorial's line:\n" + out);
            // 2. weights: exactly 1 in 10 with smooth weighted round-robin
            Matcher w1 = demo.awaitLine("tcp@127\\.0\\.0\\.1:\\d+ answered (\\d+) of 1000 calls \\((\\d+\\.\\d) %\\), metadata weight=1$", 1);
            Matcher w9 = demo.awaitLine("tcp@127\\.0\\.0\\.1:\\d+ answered (\\d+) of 1000 calls \\((\\d+\\.\\d) %\\), metadata weight=9$", 1);
            assertEquals(1000, Integer.parseInt(w1.group(1)) + Integer.parseInt(w9.group(1)));
            assertEquals(10.0, Double.parseDouble(w1.group(2)), 2.0, out);
            assertEquals(90.0, Double.parseDouble(w9.group(2)), 2.0, out);
            // 3. Fork and Broadcast, then Go's ErrXClientNoServer with both servers down
            assertEquals(2, count(lines, "--- Fork"), out);
            assertEquals(1, count(lines, "--- Broadcast"), out);
            // 3. and 4.: the fan-out with every server down, and the three tutorial meta cases that find no server
            assertEquals(4, count(lines, NO_SERVER), out);
            demo.awaitLine("-meta0 \"\" -meta1 \"group=Member\" -group Member$", 1);
            // 5. breaker: the live server answered, at most the two calls that dialled the dead server failed
            Matcher b = demo.awaitLine("\\(answered by the live server: (\\d+), failed: (\\d+), answered after skipping the dead"
                    + " server: (\\d+), dead server's breaker: (\\w+)\\)", 1);
            assertTrue(Integer.parseInt(b.group(1)) >= 18, out);
            assertTrue(Integer.parseInt(b.group(2)) <= 2, out);
            assertTrue(count(lines, GO_TIME + Pattern.quote("999 : {0 0 0  }")) == Integer.parseInt(b.group(2)),
                    "each failed call prints the untouched reply, as the tutorial's loop does:\n" + out);
            demo.awaitLine("^GovernanceDemo: all 5 cases behaved as the tutorial describes", 1);
        }
    }

    @Test
    void weightedClientSplitsOneToNineBetweenTheServersOfAnotherJvm() throws Exception {
        int p0 = SeparateJvmTest.freePort();
        int p1 = SeparateJvmTest.freePort();
        String a0 = "127.0.0.1:" + p0;
        String a1 = "127.0.0.1:" + p1;
        try (ChildJvm server = ChildJvm.modulePath(MODULE, CMD + "MultipleServer", "-addr", a0, "-addr1", a1)) {
            server.awaitLine("listening on tcp@" + Pattern.quote(a0) + "$", 30);
            server.awaitLine("listening on tcp@" + Pattern.quote(a1) + "$", 30);
            try (ChildJvm client = ChildJvm.modulePath(MODULE, CMD + "WeightedClient", "-addr", a0, "-addr1", a1, "-n", "1000")) {
                assertEquals(0, client.awaitExit(180), client.output());
                Matcher m0 = client.awaitLine(GO_TIME + Pattern.quote("tcp@" + a0)
                        + " answered (\\d+) of 1000 calls \\((\\d+\\.\\d) %\\), metadata weight=1$", 1);
                Matcher m1 = client.awaitLine(GO_TIME + Pattern.quote("tcp@" + a1)
                        + " answered (\\d+) of 1000 calls \\((\\d+\\.\\d) %\\), metadata weight=9$", 1);
                int n0 = Integer.parseInt(m0.group(1));
                int n1 = Integer.parseInt(m1.group(1));
                assertEquals(1000, n0 + n1, client.output());
                assertEquals(10.0, Double.parseDouble(m0.group(2)), 2.0, "weight=1 share");
                assertEquals(90.0, Double.parseDouble(m1.group(2)), 2.0, "weight=9 share");
                assertEquals(10.0, 100.0 * n0 / 1000, 2.0);
                // every reply is printed after the server that answered it, and the counts agree with those lines
                List<String> lines = client.output().lines().toList();
                assertEquals(n0, count(lines, "=== " + Pattern.quote("tcp@" + a0)));
                assertEquals(n1, count(lines, "=== " + Pattern.quote("tcp@" + a1)));
                assertEquals(1000, count(lines, GO_TIME + USER_999));
            }
            server.awaitLine("^service: 999$", 5);
        }
    }
}

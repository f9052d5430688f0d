package rpcx.examples.member.cmd;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.ServerNode;
import rpcx.api.XClient;

/**
 * The tutorial's weighted variant of the {@code membermultiple} client: the two servers of {@link MultipleServer}
 * with the discovery metadata {@code weight=1} and {@code weight=9}, {@code Failtry}, {@code WeightedRoundRobin}
 * (nginx's smooth weighted round-robin, as Go). It makes {@code -n} calls, printing {@code === <server>} and the
 * reply of each, then how many calls each server answered: one in ten for {@code weight=1}, nine in ten for
 * {@code weight=9} (exactly, over any multiple of ten calls: the smooth sequence repeats every ten picks).
 *
 * <p>Flags: {@code -addr tcp@localhost:8972} (or {@code -addr0}), {@code -addr1 tcp@localhost:8973},
 * {@code -meta0 weight=1}, {@code -meta1 weight=9}, {@code -n 10}, {@code -uid 999}.
 *
 * <pre>
 * examples/run.sh member WeightedClient -addr localhost:8972 -addr1 localhost:8973
 * === tcp@localhost:8973
 * 2019/07/30 20:46:41 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * ... (10 calls)
 * 2019/07/30 20:46:41 tcp@localhost:8972 answered 1 of 10 calls (10.0 %), metadata weight=1
 * 2019/07/30 20:46:41 tcp@localhost:8973 answered 9 of 10 calls (90.0 %), metadata weight=9
 * </pre>
 */
public final class WeightedClient {
    private WeightedClient() {
    }

    /**
     * Makes {@code n} calls and returns how many each server answered (every server of the discovery is a key, in
     * its order). Prints {@code ===} and the reply line of the first {@code printed} calls only.
     */
    public static Map<String, Integer> run(XClient xclient, MultipleServersDiscovery d, int n, int printed, int uid) {
        Map<String, Integer> answered = new LinkedHashMap<>();
        for (ServerNode node : d.servers()) {
            answered.put(node.address(), 0);
        }
        java.io.PrintStream out = System.out;
        try {
            for (int i = 0; i < n; i++) {
                if (i == printed) {
                    System.out.println("... (" + (n - printed) + " more calls, their lines not shown)");
                    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                }
                answered.merge(MultipleClient.callAndPrint(xclient, uid), 1, Integer::sum);
            }
        } finally {
            System.setOut(out);
        }
        for (ServerNode node : d.servers()) {
            int c = answered.get(node.address());
            Console.log(String.format(Locale.ROOT, "%s answered %d of %d calls (%.1f %%), metadata %s",
                    node.address(), c, n, n == 0 ? 0.0 : 100.0 * c / n, node.metadata()));
        }
        return answered;
    }

    /** Exits 1 after Go's {@code failed to call: ...} line when a call fails. */
    public static void main(String[] argv) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(argv);
        MultipleServersDiscovery d = MultipleClient.discovery(
                Flags.withNetwork(flags.first("localhost:8972", "addr", "addr0")), flags.get("meta0", "weight=1"),
                Flags.withNetwork(flags.get("addr1", "localhost:8973")), flags.get("meta1", "weight=9"));
        int n = flags.getInt("n", 10);
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.WEIGHTED_ROUND_ROBIN, d,
                ClientOptions.defaults())) {
            run(xclient, d, n, n, flags.getInt("uid", 999));
        } catch (RpcException e) {
            Console.log("failed to call: " + GoErrors.text(e));
            System.exit(1);
        }
    }
}

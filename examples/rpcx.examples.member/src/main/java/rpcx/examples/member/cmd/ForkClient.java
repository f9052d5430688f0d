package rpcx.examples.member.cmd;

import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.XClient;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The tutorial's {@code fork} client: the two servers of {@link MultipleServer} ({@code weight=1},
 * {@code weight=9}, {@code Failtry}, {@code WeightedRoundRobin}, none of which matters to a fan-out), then
 * {@code xclient.Fork(ctx, "UserInfo", args, reply)}, which sends the call to every server and returns the first
 * reply, and {@code xclient.Broadcast}, which also calls every server but succeeds only if all do. Each server
 * prints {@code service: 999} for each of them. With every server down both fail with Go's
 * {@code can not found any server} ({@code ErrXClientNoServer}); the client exits 1 then, as
 * {@code log.Fatalf} does.
 *
 * <p>Flags: {@code -addr tcp@localhost:8972} (or {@code -addr0}), {@code -addr1 tcp@localhost:8973},
 * {@code -mode fork|broadcast|both} (default both), {@code -uid 999}.
 *
 * <pre>
 * examples/run.sh member ForkClient -addr localhost:8972 -addr1 localhost:8973
 * --- Fork
 * 2019/08/17 15:47:50 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * --- Broadcast
 * 2019/08/17 15:47:50 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * </pre>
 */
public final class ForkClient {
    private ForkClient() {
    }

    /** Fork (or Broadcast) once and print the tutorial's reply line; returns the reply. */
    public static Reply call(XClient xclient, boolean broadcast, int uid) {
        System.out.println(broadcast ? "--- Broadcast" : "--- Fork");
        Args args = new Args(uid);
        Reply reply = broadcast
                ? xclient.broadcast("UserInfo", args, Reply.class, CallOptions.NONE)
                : xclient.fork("UserInfo", args, Reply.class, CallOptions.NONE);
        Console.log(args.uid() + " : " + reply.user());
        return reply;
    }

    /** Exits 1 after Go's {@code failed to call: ...} line when a call fails. */
    public static void main(String[] argv) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(argv);
        String mode = flags.get("mode", "both");
        if (!mode.equals("fork") && !mode.equals("broadcast") && !mode.equals("both")) {
            throw new IllegalArgumentException("-mode must be fork, broadcast or both, not " + mode);
        }
        MultipleServersDiscovery d = MultipleClient.discovery(
                Flags.withNetwork(flags.first("localhost:8972", "addr", "addr0")), "weight=1",
                Flags.withNetwork(flags.get("addr1", "localhost:8973")), "weight=9");
        int uid = flags.getInt("uid", 999);
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILTRY, SelectMode.WEIGHTED_ROUND_ROBIN, d,
                ClientOptions.defaults())) {
            if (!mode.equals("broadcast")) {
                call(xclient, false, uid);
            }
            if (!mode.equals("fork")) {
                call(xclient, true, uid);
            }
        } catch (RpcException e) {
            Console.log("failed to call: " + GoErrors.text(e));
            System.exit(1);
        }
    }
}

package rpcx.examples.member.cmd;

import java.util.List;

import rpcx.api.CallOptions;
import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.MultipleServersDiscovery;
import rpcx.api.Response;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.ServerNode;
import rpcx.api.XClient;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The tutorial's {@code membermultiple} {@code client.go}: {@code NewMultipleServersDiscovery} of the two servers
 * of {@link MultipleServer}, {@code Failover}, {@code RoundRobin}, calls {@code ServiceUser.UserInfo}. Before each
 * reply it prints {@code === tcp@localhost:8972}, the server that answered, as the tutorial's patched
 * {@code selectClient} does ({@code fmt.Println("===", k)}); here it comes from {@link Response#server()}.
 *
 * <p>Flags: {@code -addr tcp@localhost:8972} (or {@code -addr0}), {@code -addr1 tcp@localhost:8973} ({@code tcp@}
 * is added when missing), {@code -n 2} calls (the tutorial runs its one-call client twice to see both servers;
 * with RoundRobin the second call goes to the other server), {@code -uid 999}.
 *
 * <pre>
 * examples/run.sh member MultipleClient -addr localhost:8972 -addr1 localhost:8973
 * === tcp@localhost:8972
 * 2019/07/30 20:46:07 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * === tcp@localhost:8973
 * 2019/07/30 20:46:07 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}
 * </pre>
 */
public final class MultipleClient {
    private MultipleClient() {
    }

    /** Go's {@code NewMultipleServersDiscovery([]*client.KVPair{{Key: a0, Value: meta0}, {Key: a1, Value: meta1}})}. */
    public static MultipleServersDiscovery discovery(String address0, String metadata0, String address1, String metadata1) {
        return new MultipleServersDiscovery(List.of(new ServerNode(address0, metadata0), new ServerNode(address1, metadata1)));
    }

    /**
     * One {@code UserInfo} call: prints {@code === <server that answered>} and the tutorial's
     * {@code 999 : {...}} line; returns the server.
     *
     * @throws RpcException when the call fails (nothing is printed then)
     */
    public static String callAndPrint(XClient xclient, int uid) {
        Args args = new Args(uid);
        Response<Reply> r = xclient.invoke("UserInfo", args, Reply.class, CallOptions.NONE);
        System.out.println("=== " + r.server());
        Console.log(args.uid() + " : " + r.value().user());
        return r.server();
    }

    /** Exits 1 after Go's {@code failed to call: ...} line when a call fails. */
    public static void main(String[] argv) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(argv);
        String addr = Flags.withNetwork(flags.first("localhost:8972", "addr", "addr0"));
        String addr1 = Flags.withNetwork(flags.get("addr1", "localhost:8973"));
        int n = flags.getInt("n", 2);
        int uid = flags.getInt("uid", 999);
        MultipleServersDiscovery d = discovery(addr, "", addr1, "");
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILOVER, SelectMode.ROUND_ROBIN, d,
                ClientOptions.defaults())) {
            for (int i = 0; i < n; i++) {
                callAndPrint(xclient, uid);
            }
        } catch (RpcException e) {
            Console.log("failed to call: " + GoErrors.text(e));
            System.exit(1);
        }
    }
}

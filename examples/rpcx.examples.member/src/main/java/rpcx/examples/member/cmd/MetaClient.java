package rpcx.examples.member.cmd;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.XClient;

/**
 * The tutorial's {@code membermeta} clients ({@code cmd/state/client} and {@code cmd/group/client}): the discovery
 * metadata of each server and the client's {@code option.Group} decide which servers may be called. Servers whose
 * discovery metadata says {@code state=inactive} are dropped, and with a group set, so are servers whose
 * {@code group} metadata is not that group (Go's {@code filterByStateAndGroup}). {@code Failover},
 * {@code RoundRobin} (the tutorial's group client; with RoundRobin the first call goes to the first address, so
 * the output is the tutorial's every time). Prints {@code === <server>} and the reply, or Go's
 * {@code failed to call: can not found any server} and exits 1.
 *
 * <p>Flags: {@code -meta0 ""} and {@code -meta1 ""}: the discovery metadata ({@code KVPair.Value}) of the two
 * addresses; {@code -group ""}: {@code option.Group}; {@code -addr tcp@localhost:8972} (or {@code -addr0}),
 * {@code -addr1 tcp@localhost:8973}; {@code -uid 999}. The tutorial's cases, against {@link MetaServer}:
 *
 * <pre>
 * MetaClient -meta0 state=inactive -meta1 state=inactive     failed to call: can not found any server
 * MetaClient                                                 === tcp@localhost:8972 + reply
 * MetaClient -meta1 state=inactive                           === tcp@localhost:8972 + reply
 * MetaClient -meta0 state=inactive                           === tcp@localhost:8973 + reply
 * MetaClient -meta1 group=Member -group Me                   failed to call: can not found any server
 * MetaClient -meta1 group=Member -group Member               === tcp@localhost:8973 + reply
 * MetaClient -meta1 group=009 -group Member                  failed to call: can not found any server
 * MetaClient -meta1 group=009                                === tcp@localhost:8972 + reply
 * </pre>
 */
public final class MetaClient {
    private MetaClient() {
    }

    /**
     * One client of the tutorial's: discovery {@code {{Key: address0, Value: metadata0}, {Key: address1, Value:
     * metadata1}}}, {@code option.Group = group}, Failover, RoundRobin; one {@code UserInfo} call, printed as
     * {@link MultipleClient#callAndPrint}. Returns the server that answered.
     *
     * @throws RpcException when the call fails ({@code NoServerAvailableException} when the filters left none)
     */
    public static String call(String address0, String metadata0, String address1, String metadata1, String group, int uid) {
        ClientOptions option = ClientOptions.defaults().withGroup(group);
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILOVER, SelectMode.ROUND_ROBIN,
                MultipleClient.discovery(address0, metadata0, address1, metadata1), option)) {
            return MultipleClient.callAndPrint(xclient, uid);
        }
    }

    /** Exits 1 after Go's {@code failed to call: ...} line when the call fails. */
    public static void main(String[] argv) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(argv);
        try {
            call(Flags.withNetwork(flags.first("localhost:8972", "addr", "addr0")), flags.get("meta0", ""),
                    Flags.withNetwork(flags.get("addr1", "localhost:8973")), flags.get("meta1", ""),
                    flags.get("group", ""), flags.getInt("uid", 999));
        } catch (RpcException e) {
            Console.log("failed to call: " + GoErrors.text(e));
            System.exit(1);
        }
    }
}

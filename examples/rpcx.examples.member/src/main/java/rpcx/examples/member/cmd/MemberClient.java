package rpcx.examples.member.cmd;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.XClient;
import rpcx.examples.member.service.Args;
import rpcx.examples.member.service.Reply;

/**
 * The tutorial's {@code cmd/client/client.go}: XClient, peer-to-peer, Failtry, RandomSelect, calls
 * {@code ServiceUser.UserInfo} for Uid 999 and prints {@code 999 : {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}}.
 * Flags: {@code -addr localhost:8972}, {@code -network tcp}, {@code -codec msgpack|json}, {@code -uid 999}
 * ({@code -network kcp}: {@code -kcpkey}, {@code -kcpsalt}, see {@link KcpSettings}).
 */
public final class MemberClient {
    private MemberClient() {
    }

    /** Calls {@code servicePath.method} once as the tutorial's clients do and prints the reply; returns it. */
    public static Reply run(String address, int codec, String servicePath, String method, int uid) {
        return run(address, codec, servicePath, method, uid, ClientOptions.defaults());
    }

    /** {@link #run(String, int, String, String, int)} from other client options than the defaults. */
    public static Reply run(String address, int codec, String servicePath, String method, int uid, ClientOptions base) {
        ClientOptions option = base.withSerializeType(codec);
        try (XClient xclient = XClient.create(servicePath, FailMode.FAILTRY, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), option)) {
            Args args = new Args(uid);
            Reply reply = xclient.call(method, args, Reply.class);
            Console.log(args.uid() + " : " + reply.user());
            return reply;
        }
    }

    /** Exits 1 after printing Go's {@code failed to call: ...} when the call fails. */
    public static void main(String[] args) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        String network = flags.get("network", "tcp");
        ClientOptions options = ClientOptions.defaults();
        if (network.equals("kcp")) {
            options = options.withTransportOption(KcpSettings.options(flags));
        }
        try {
            run(network + "@" + flags.get("addr", "localhost:8972"), flags.codec(), "ServiceUser", "UserInfo",
                    Integer.parseInt(flags.get("uid", "999")), options);
        } catch (RpcException e) {
            Console.log("failed to call: " + e.getMessage());
            System.exit(1);
        }
    }
}

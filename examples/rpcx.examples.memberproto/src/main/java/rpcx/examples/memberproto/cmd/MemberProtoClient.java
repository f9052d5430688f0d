package rpcx.examples.memberproto.cmd;

import rpcx.api.ClientOptions;
import rpcx.api.FailMode;
import rpcx.api.Peer2PeerDiscovery;
import rpcx.api.RpcException;
import rpcx.api.SelectMode;
import rpcx.api.XClient;
import rpcx.api.protocol.SerializeType;
import rpcx.examples.member.cmd.Console;
import rpcx.examples.member.cmd.Flags;
import rpcx.examples.memberproto.pb.Args;
import rpcx.examples.memberproto.pb.ProtoArgs;
import rpcx.examples.memberproto.pb.ProtoReply;
import rpcx.examples.memberproto.pb.Reply;

/**
 * The tutorial's memberproto {@code client.go}: sets the protobuf codec, calls {@code ServiceUser.Mul} with
 * {@code A=10, B=20} and {@code ServiceUser.UserInfo} with {@code Id=999}, and prints
 * {@code 10 * 20 = 200} and {@code 999 : UID:999 AddTime:14990093 UserType:2 Uface:"http://image.xxxx.xxx/t.gif" UserName:"Joke"}.
 * Flags: {@code -addr localhost:8972}, {@code -network tcp}.
 */
public final class MemberProtoClient {
    private MemberProtoClient() {
    }

    /** The two replies. */
    public record Replies(ProtoReply mul, Reply userInfo) {
    }

    /** Makes both calls as the tutorial's client does and prints the two lines; returns the replies. */
    public static Replies run(String address) {
        // Go: option := client.DefaultOption; option.SerializeType = protocol.ProtoBuffer
        ClientOptions option = ClientOptions.defaults().withSerializeType(SerializeType.PROTOBUF);
        try (XClient xclient = XClient.create("ServiceUser", FailMode.FAILOVER, SelectMode.RANDOM_SELECT,
                new Peer2PeerDiscovery(address, ""), option)) {
            ProtoArgs args1 = ProtoArgs.newBuilder().setA(10).setB(20).build();
            ProtoReply reply1 = xclient.call("Mul", args1, ProtoReply.class);
            Args args = Args.newBuilder().setId(999).build();
            Reply reply = xclient.call("UserInfo", args, Reply.class);
            Console.log(args1.getA() + " * " + args1.getB() + " = " + reply1.getC());
            Console.log(args.getId() + " : " + GoText.compact(reply));
            return new Replies(reply1, reply);
        }
    }

    /** Exits 1 after printing Go's {@code failed to call: ...} when a call fails. */
    public static void main(String[] args) {
        Console.useGoLogFormat();
        Flags flags = Flags.parse(args);
        try {
            run(flags.get("network", "tcp") + "@" + flags.get("addr", "localhost:8972"));
        } catch (RpcException e) {
            Console.log("failed to call: " + e.getMessage());
            System.exit(1);
        }
    }
}
